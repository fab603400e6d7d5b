using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>
/// Where features come from and where they go: batch sources feed push sources and views, views and
/// request sources feed on-demand views, and all of them feed feature services. Built from the
/// definitions alone; a name that no object has is left out (apply rejects such sets).
/// </summary>
public sealed class LineageGraph
{
    private readonly Dictionary<(UiKind, string), LineageNode> _byKey;
    private readonly Dictionary<LineageNode, List<LineageNode>> _inputs;
    private readonly Dictionary<LineageNode, List<LineageNode>> _outputs;

    private LineageGraph(IReadOnlyList<LineageNode> nodes, IReadOnlyList<LineageEdge> edges)
    {
        Nodes = nodes;
        Edges = edges;
        _byKey = nodes.ToDictionary(n => (n.Kind, n.Name));
        _inputs = nodes.ToDictionary(n => n, _ => new List<LineageNode>());
        _outputs = nodes.ToDictionary(n => n, _ => new List<LineageNode>());
        foreach (var edge in edges)
        {
            _inputs[edge.To].Add(edge.From);
            _outputs[edge.From].Add(edge.To);
        }
    }

    /// <summary>The objects, by kind then as declared.</summary>
    public IReadOnlyList<LineageNode> Nodes { get; }

    /// <summary>What feeds what.</summary>
    public IReadOnlyList<LineageEdge> Edges { get; }

    /// <summary>The node of <paramref name="definition"/>, or null when the graph does not show its kind (entities).</summary>
    public LineageNode? Find(Definition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition is Entity ? null : _byKey.GetValueOrDefault((UiKind.Of(definition), definition.Name));
    }

    /// <summary>The nodes that feed <paramref name="node"/> directly.</summary>
    public IReadOnlyList<LineageNode> InputsOf(LineageNode node) => _inputs[node];

    /// <summary>The nodes <paramref name="node"/> feeds directly.</summary>
    public IReadOnlyList<LineageNode> OutputsOf(LineageNode node) => _outputs[node];

    /// <summary>Everything <paramref name="node"/> is computed from, nearest first.</summary>
    public IReadOnlyList<LineageNode> Upstream(LineageNode node) => Walk(node, _inputs);

    /// <summary>Everything computed from <paramref name="node"/>, nearest first.</summary>
    public IReadOnlyList<LineageNode> Downstream(LineageNode node) => Walk(node, _outputs);

    /// <summary>
    /// <paramref name="node"/> with its upstream and downstream and the edges between them along
    /// those paths: the graph an object's page draws.
    /// </summary>
    public LineageGraph Around(LineageNode node)
    {
        var up = Upstream(node).Append(node).ToHashSet();
        var down = Downstream(node).Append(node).ToHashSet();
        var keep = up.Union(down).ToHashSet();
        return new LineageGraph(
            Nodes.Where(keep.Contains).ToArray(),
            Edges.Where(e => (up.Contains(e.From) && up.Contains(e.To)) || (down.Contains(e.From) && down.Contains(e.To))).ToArray());
    }

    /// <summary>Builds the graph of <paramref name="set"/>.</summary>
    public static LineageGraph Build(DefinitionSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var nodes = UiKind.All.Where(k => k != UiKind.Entities)
            .SelectMany(k => k.Select(set).Select(d => new LineageNode(k, d)))
            .ToList();
        var byKey = new Dictionary<(UiKind, string), LineageNode>();
        foreach (var node in nodes)
        {
            byKey.TryAdd((node.Kind, node.Name), node);
        }

        LineageNode? Source(string name) =>
            byKey.GetValueOrDefault((UiKind.DataSources, name)) ?? byKey.GetValueOrDefault((UiKind.PushSources, name));

        LineageNode? Input(string name) =>
            byKey.GetValueOrDefault((UiKind.FeatureViews, name))
            ?? byKey.GetValueOrDefault((UiKind.AggregationViews, name))
            ?? byKey.GetValueOrDefault((UiKind.OnDemandViews, name))
            ?? byKey.GetValueOrDefault((UiKind.RequestSources, name));

        var edges = new List<LineageEdge>();
        var seen = new HashSet<LineageEdge>();
        void Add(LineageNode? from, LineageNode to)
        {
            if (from is not null && from != to && seen.Add(new LineageEdge(from, to)))
            {
                edges.Add(new LineageEdge(from, to));
            }
        }

        foreach (var node in nodes)
        {
            switch (node.Definition)
            {
                case PushSource push:
                    Add(byKey.GetValueOrDefault((UiKind.DataSources, push.BatchSource)), node);
                    break;
                case FeatureView view:
                    Add(Source(view.Source), node);
                    break;
                case AggregationView view:
                    Add(Source(view.Source), node);
                    break;
                case OnDemandFeatureView view:
                    foreach (var input in view.Sources)
                    {
                        Add(Input(input), node);
                    }

                    break;
                case FeatureService service:
                    foreach (var projection in service.Features)
                    {
                        Add(Input(projection.View), node);
                    }

                    break;
            }
        }

        return new LineageGraph(nodes, edges);
    }

    private static List<LineageNode> Walk(LineageNode start, Dictionary<LineageNode, List<LineageNode>> next)
    {
        var seen = new HashSet<LineageNode> { start };
        var order = new List<LineageNode>();
        var queue = new Queue<LineageNode>([start]);
        while (queue.Count > 0)
        {
            foreach (var neighbour in next[queue.Dequeue()])
            {
                if (seen.Add(neighbour))
                {
                    order.Add(neighbour);
                    queue.Enqueue(neighbour);
                }
            }
        }

        return order;
    }
}

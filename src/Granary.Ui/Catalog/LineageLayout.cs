namespace Granary.Ui.Catalog;

/// <summary>
/// Positions for drawing a <see cref="LineageGraph"/> from left to right: a column per stage
/// (batch sources, push and request sources, views, on-demand views by depth, services), nodes
/// ordered within their column to keep edges short (a few barycentre sweeps), every column centred
/// on the tallest.
/// </summary>
public sealed class LineageLayout
{
    /// <summary>A node's width, in SVG units.</summary>
    public const double NodeWidth = 168;

    /// <summary>A node's height.</summary>
    public const double NodeHeight = 32;

    /// <summary>The gap between columns, where edges run.</summary>
    public const double ColumnGap = 44;

    /// <summary>The gap between nodes of a column.</summary>
    public const double RowGap = 12;

    /// <summary>The height of the column titles above the nodes.</summary>
    public const double HeaderHeight = 28;

    private const int Sweeps = 4;

    private LineageLayout(IReadOnlyList<PlacedNode> nodes, IReadOnlyList<PlacedEdge> edges, IReadOnlyList<(string Title, double X)> columns, double width, double height)
    {
        Nodes = nodes;
        Edges = edges;
        Columns = columns;
        Width = width;
        Height = height;
    }

    /// <summary>The nodes with their top-left corners.</summary>
    public IReadOnlyList<PlacedNode> Nodes { get; }

    /// <summary>The edges with their end points.</summary>
    public IReadOnlyList<PlacedEdge> Edges { get; }

    /// <summary>The columns' titles and left edges.</summary>
    public IReadOnlyList<(string Title, double X)> Columns { get; }

    /// <summary>The drawing's width.</summary>
    public double Width { get; }

    /// <summary>The drawing's height.</summary>
    public double Height { get; }

    /// <summary>Lays out <paramref name="graph"/>.</summary>
    public static LineageLayout Compute(LineageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var stage = Stages(graph);
        var used = stage.Values.Distinct().Order().ToList();
        var columnOf = stage.ToDictionary(s => s.Key, s => used.IndexOf(s.Value));
        var columns = used.Select(_ => new List<LineageNode>()).ToList();
        foreach (var node in graph.Nodes)
        {
            columns[columnOf[node]].Add(node);
        }

        Order(graph, columns);

        var tallest = columns.Count == 0 ? 0 : columns.Max(c => c.Count);
        var height = HeaderHeight + (tallest * (NodeHeight + RowGap)) + RowGap;
        var placed = new Dictionary<LineageNode, PlacedNode>();
        var titles = new List<(string, double)>();
        for (var c = 0; c < columns.Count; c++)
        {
            var x = RowGap + (c * (NodeWidth + ColumnGap));
            var top = HeaderHeight + ((tallest - columns[c].Count) * (NodeHeight + RowGap) / 2);
            titles.Add((Title(columns[c]), x));
            for (var i = 0; i < columns[c].Count; i++)
            {
                placed[columns[c][i]] = new PlacedNode(columns[c][i], x, top + (i * (NodeHeight + RowGap)));
            }
        }

        var edges = graph.Edges.Select(e => new PlacedEdge(
            e,
            placed[e.From].X + NodeWidth,
            placed[e.From].Y + (NodeHeight / 2),
            placed[e.To].X,
            placed[e.To].Y + (NodeHeight / 2))).ToArray();
        var width = (2 * RowGap) + (columns.Count * NodeWidth) + (Math.Max(0, columns.Count - 1) * ColumnGap);
        return new LineageLayout(graph.Nodes.Select(n => placed[n]).ToArray(), edges, titles, width, height);
    }

    /// <summary>
    /// The stage of each node: 0 batch sources, 1 push and request sources, 2 views, 3 + depth
    /// on-demand views (one reading another sits to its right), then services after everything.
    /// </summary>
    private static Dictionary<LineageNode, int> Stages(LineageGraph graph)
    {
        var stage = new Dictionary<LineageNode, int>();
        int Of(LineageNode node, int depth)
        {
            if (stage.TryGetValue(node, out var known))
            {
                return known;
            }

            var value = node.Kind switch
            {
                var k when k == UiKind.DataSources => 0,
                var k when k == UiKind.PushSources || k == UiKind.RequestSources => 1,
                var k when k == UiKind.FeatureViews || k == UiKind.AggregationViews => 2,

                // Apply rejects cycles; the depth bound keeps a corrupted registry from recursing forever.
                var k when k == UiKind.OnDemandViews => 3 + (depth > graph.Nodes.Count ? 0 : graph.InputsOf(node)
                    .Where(i => i.Kind == UiKind.OnDemandViews)
                    .Select(i => Of(i, depth + 1) - 2)
                    .DefaultIfEmpty(0)
                    .Max()),
                _ => -1,
            };
            stage[node] = value;
            return value;
        }

        foreach (var node in graph.Nodes)
        {
            Of(node, 0);
        }

        var services = stage.Values.DefaultIfEmpty(0).Max() + 1;
        foreach (var node in graph.Nodes.Where(n => n.Kind == UiKind.FeatureServices))
        {
            stage[node] = Math.Max(3, services);
        }

        return stage;
    }

    /// <summary>Orders each column by the mean position of its neighbours, sweeping right then left.</summary>
    private static void Order(LineageGraph graph, List<List<LineageNode>> columns)
    {
        var position = new Dictionary<LineageNode, int>();
        void Number(List<LineageNode> column)
        {
            for (var i = 0; i < column.Count; i++)
            {
                position[column[i]] = i;
            }
        }

        columns.ForEach(Number);
        for (var sweep = 0; sweep < Sweeps; sweep++)
        {
            var forward = sweep % 2 == 0;
            for (var step = 1; step < columns.Count; step++)
            {
                var c = forward ? step : columns.Count - 1 - step;
                var column = columns[c];
                var keys = column.ToDictionary(n => n, n =>
                {
                    var neighbours = (forward ? graph.InputsOf(n) : graph.OutputsOf(n)).Where(position.ContainsKey).ToList();
                    return neighbours.Count == 0 ? position[n] : neighbours.Average(x => (double)position[x]);
                });

                // A stable sort: ties keep the declared order.
                var sorted = column.Select((n, i) => (n, i)).OrderBy(p => keys[p.n]).ThenBy(p => p.i).Select(p => p.n).ToList();
                column.Clear();
                column.AddRange(sorted);
                Number(column);
            }
        }
    }

    private static string Title(List<LineageNode> column)
    {
        var kinds = column.Select(n => n.Kind).Distinct().ToList();
        return kinds.Count switch
        {
            0 => string.Empty,
            1 => kinds[0].Title,
            _ when kinds.Contains(UiKind.FeatureViews) => "Views",
            _ => "Push & request sources",
        };
    }
}

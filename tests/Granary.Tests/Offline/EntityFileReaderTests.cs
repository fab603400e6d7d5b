using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Conformance;
using Granary.Offline;
using Parquet;
using Parquet.Schema;

namespace Granary.Tests.Offline;

/// <summary>The one entity-file reader: its CSV type rule, its Parquet mapping and its messages, on files written here.</summary>
public sealed class EntityFileReaderTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("granary-entityfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(Schema Schema, List<Dictionary<string, object?>> Rows, int Batches)> ReadAllAsync(string path, int batchSize = 65_536)
    {
        await using var reader = await EntityFileReader.OpenAsync(path);
        var rows = new List<Dictionary<string, object?>>();
        var batches = 0;
        await foreach (var batch in reader.ReadAsync(batchSize))
        {
            Assert.Equal(reader.Schema.FieldsList.Select(f => f.DataType.TypeId), batch.Schema.FieldsList.Select(f => f.DataType.TypeId));
            rows.AddRange(ResultRows.ToRows(batch));
            batches++;
        }

        Assert.Equal(reader.RowCount, rows.Count);
        return (reader.Schema, rows, batches);
    }

    private static async Task<GranaryException> OpenFailsAsync(string path) =>
        await Assert.ThrowsAsync<GranaryException>(async () => await (await EntityFileReader.OpenAsync(path)).DisposeAsync());

    [Fact]
    public async Task OpenAsync_Csv_InfersEachColumnFromAllItsValues()
    {
        var path = Write("types.csv",
            "flag,count,ratio,when,big,mixed,blank,text\n" +
            "true,1,1,2021-04-12T10:00:00Z,99999999999999999999,1,,a\n" +
            "FALSE,-2,2.5,2021-04-12 12:00:00+02:00,1,true,,\"b, \"\"c\"\"\"\n" +
            ",+3,-1.5e3,2021-04-12,,,\"\",\n");

        var (schema, rows, _) = await ReadAllAsync(path);

        Assert.Equal(
            [ArrowTypeId.Boolean, ArrowTypeId.Int64, ArrowTypeId.Double, ArrowTypeId.Timestamp, ArrowTypeId.String, ArrowTypeId.String, ArrowTypeId.String, ArrowTypeId.String],
            schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal([true, false, null], rows.Select(r => r["flag"]));
        Assert.Equal([1L, -2L, 3L], rows.Select(r => r["count"]));
        Assert.Equal([1.0, 2.5, -1500.0], rows.Select(r => r["ratio"]));
        // 12:00+02:00 is 10:00Z; a date alone is midnight UTC.
        Assert.Equal([Day.AddHours(10), Day.AddHours(10), Day], rows.Select(r => r["when"]));
        // An integer beyond int64 keeps every digit as text rather than becoming an approximate float.
        Assert.Equal(["99999999999999999999", "1", null], rows.Select(r => r["big"]));
        Assert.Equal(["1", "true", null], rows.Select(r => r["mixed"]));
        Assert.Equal([null, null, null], rows.Select(r => r["blank"]));
        Assert.Equal(["a", "b, \"c\"", null], rows.Select(r => r["text"]));
    }

    [Fact]
    public async Task OpenAsync_Csv_ColumnsTellGranaryTypesForValidation()
    {
        var path = Write("cols.csv", "driver_id,event_timestamp,score,flag,name\n1001,2021-04-12T10:00:00Z,0.5,true,x\n");

        await using var reader = await EntityFileReader.OpenAsync(path);

        Assert.Equal(["int64", "unix_timestamp", "float64", "bool", "string"], reader.Columns.Select(c => c.NativeType));
        Assert.Equal([false, true, false, false, false], reader.Columns.Select(c => c.IsTimestamp));
        Assert.False(reader.IsParquet);
        Assert.Equal(1, reader.RowCount);
    }

    [Fact]
    public async Task ReadAsync_Csv_QuotedLineBreaksBlankLinesAndCrLf_KeepRowsAndTheirText()
    {
        var path = Write("quoted.csv", "id,comment\r\n1,\"two\nlines\"\r\n\r\n2,\"\"\r\n\r\n3,plain\r\n");

        var (_, rows, _) = await ReadAllAsync(path);

        Assert.Equal([1L, 2L, 3L], rows.Select(r => r["id"]));
        Assert.Equal(["two\nlines", null, "plain"], rows.Select(r => r["comment"]));
    }

    [Fact]
    public async Task ReadAsync_Csv_SpacesAreKeptSoAPaddedNumberIsText()
    {
        var path = Write("spaces.csv", "id,padded\n1, 2\n");

        var (_, rows, _) = await ReadAllAsync(path);

        Assert.Equal(" 2", rows.Single()["padded"]);
    }

    [Fact]
    public async Task ReadAsync_Csv_ByteOrderMarkIsNotPartOfTheFirstName()
    {
        var path = Path.Combine(_folder, "bom.csv");
        await File.WriteAllTextAsync(path, "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var (schema, _, _) = await ReadAllAsync(path);

        Assert.Equal("driver_id", schema.FieldsList[0].Name);
    }

    [Fact]
    public async Task ReadAsync_Csv_TimesKeepMicrosecondsAndDropFinerDigits()
    {
        var path = Write("fine.csv", "t\n2021-04-12T10:00:00.1234567Z\n2021-04-12T10:00:00.123456789-01:30\n");

        var (_, rows, _) = await ReadAllAsync(path);

        var micro = Day.AddHours(10).AddTicks(1_234_560);
        Assert.Equal([micro, micro.AddHours(1.5)], rows.Select(r => r["t"]));
    }

    [Fact]
    public async Task ReadAsync_BatchSize_SplitsRowsInOrder()
    {
        var path = Write("many.csv", "id\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"{i}\n")));

        var (_, rows, batches) = await ReadAllAsync(path, batchSize: 2);

        Assert.Equal(3, batches);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], rows.Select(r => r["id"]));
    }

    [Fact]
    public async Task OpenAsync_EmptyCsv_SaysWhatWasExpected()
    {
        var error = await OpenFailsAsync(Write("empty.csv", string.Empty));

        Assert.Equal($"entity file '{Path.Combine(_folder, "empty.csv")}' is empty; expected a header line naming the columns, then one line per entity row", error.Message);
    }

    [Fact]
    public async Task OpenAsync_HeaderOnlyCsv_NamesTheHeaderLine()
    {
        var path = Write("header.csv", "driver_id,event_timestamp\n");

        var error = await OpenFailsAsync(path);

        Assert.Equal($"entity file '{path}' has a header (line 1: driver_id,event_timestamp) but no rows; expected one line per entity row after it", error.Message);
    }

    [Fact]
    public async Task OpenAsync_RowWithMoreFields_NamesLineAndHeader()
    {
        var path = Write("more.csv", "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:00:00Z,extra\n");

        var error = await OpenFailsAsync(path);

        Assert.Equal(
            $"entity file '{path}' line 3: 3 fields, but the header (line 1) has 2: driver_id, event_timestamp; quote a value that holds a comma, such as \"a, b\"",
            error.Message);
    }

    [Fact]
    public async Task OpenAsync_RowWithFewerFields_NamesLineAndHeader()
    {
        var path = Write("fewer.csv", "driver_id,event_timestamp,label\n\n1001,2021-04-12T10:00:00Z\n");

        var error = await OpenFailsAsync(path);

        Assert.Equal($"entity file '{path}' line 3: 2 fields, but the header (line 1) has 3: driver_id, event_timestamp, label", error.Message);
    }

    [Fact]
    public async Task OpenAsync_DataRowWhereTheHeaderShouldBe_SaysTheFirstLineMustNameColumns()
    {
        var path = Write("noheader.csv", "1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:00:00Z\n");

        var error = await OpenFailsAsync(path);

        Assert.Equal(
            $"entity file '{path}' line 1, column 1: '1001' is a value, not a column name; the first line must name the columns, such as driver_id,event_timestamp",
            error.Message);
    }

    [Fact]
    public async Task OpenAsync_DuplicateOrEmptyColumnName_NamesTheColumns()
    {
        var duplicate = await OpenFailsAsync(Write("dup.csv", "a,b,a\n1,2,3\n"));
        var empty = await OpenFailsAsync(Write("blankname.csv", "a,,c\n1,2,3\n"));

        Assert.EndsWith("line 1: the header names column 'a' twice (columns 1 and 3)", duplicate.Message, StringComparison.Ordinal);
        Assert.EndsWith("line 1, column 2: the header has an empty column name; the first line must name every column", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NotUtf8_NamesLineCharacterAndByte()
    {
        // "é" in Latin-1 is the single byte 0xE9, invalid on its own in UTF-8.
        var path = Path.Combine(_folder, "latin1.csv");
        await File.WriteAllBytesAsync(path, [.. "id,city\n1,Z"u8, 0xE9, .. "rich\n"u8]);

        var error = await OpenFailsAsync(path);

        Assert.Equal($"entity file '{path}' line 2, character 4: byte 0xE9 is not UTF-8; save the file as UTF-8", error.Message);
    }

    [Fact]
    public async Task OpenAsync_NotUtf8DeepInALargeFile_NamesTheRightLine()
    {
        // Far beyond the first buffer the decoder fills, so the line cannot come from the decoder.
        var path = Path.Combine(_folder, "late.csv");
        var text = new StringBuilder("id,name\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},name{i}\n");
        }

        await File.WriteAllBytesAsync(path, [.. Encoding.UTF8.GetBytes(text.ToString()), .. "20000,caf"u8, 0xE9, (byte)'\n']);

        var error = await OpenFailsAsync(path);

        Assert.StartsWith($"entity file '{path}' line 20002, character 10: byte 0xE9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_QuoteProblems_NameLineAndColumn()
    {
        var unclosed = Write("unclosed.csv", "id,note\n1,\"open\n2,x\n");
        var inside = Write("inside.csv", "id,note\n1,5\" tall\n");

        var notClosed = await OpenFailsAsync(unclosed);
        var bare = await OpenFailsAsync(inside);

        Assert.Equal($"entity file '{unclosed}' line 2, column 2 (note): a quoted value is not closed; end it with a quote, and double the quotes inside it", notClosed.Message);
        Assert.StartsWith($"entity file '{inside}' line 2, column 2 (note): a quote inside an unquoted value", bare.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_MissingFileFolderOrOtherExtension_SaysWhich()
    {
        Assert.EndsWith("does not exist", (await OpenFailsAsync(Path.Combine(_folder, "none.csv"))).Message, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(_folder, "dir.csv"));
        Assert.EndsWith("is a folder; name a .csv or .parquet file", (await OpenFailsAsync(Path.Combine(_folder, "dir.csv"))).Message, StringComparison.Ordinal);
        Assert.EndsWith("must end in .parquet or .csv", (await OpenFailsAsync(Write("rows.txt", "a\n1\n"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhyNot_CsvColumnThatIsNotANumber_PointsAtTheFirstValue()
    {
        var path = Write("keys.csv", "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\nabc,yesterday\n");

        await using var reader = await EntityFileReader.OpenAsync(path);

        Assert.Equal("line 3, column 1 (driver_id): 'abc'", reader.WhyNot("driver_id", Granary.Definitions.DataType.Int64));
        Assert.Equal("line 3, column 2 (event_timestamp): 'yesterday'", reader.WhyNot("event_timestamp", new Granary.Definitions.DataType(Granary.Definitions.ScalarType.UnixTimestamp)));
    }

    [Fact]
    public async Task ReadAsync_Parquet_MapsTypesAsDocumented()
    {
        var path = Path.Combine(_folder, "types.parquet");
        var id = new DataField<long>("driver_id");
        var time = new DateTimeDataField("event_timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
        var small = new DataField<short?>("small");
        var unsigned = new DataField<uint?>("unsigned");
        var ratio = new DataField<float?>("ratio");
        var amount = new DecimalDataField("amount", 10, 2, isNullable: true);
        var day = new DateTimeDataField("day", DateTimeFormat.Date, isNullable: true);
        var label = new DataField<string>("label", true);
        var raw = new DataField<byte[]>("raw", true);
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, time, small, unsigned, ratio, amount, day, label, raw), file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, new long[] { 1001, 1002 });
            await group.WriteAsync<DateTime>(time, new[] { Day.AddHours(10).UtcDateTime, Day.AddHours(11).UtcDateTime });
            await group.WriteAsync<short>(small, new short?[] { -3, null });
            await group.WriteAsync<uint>(unsigned, new uint?[] { 4_000_000_000, null });
            await group.WriteAsync<float>(ratio, new float?[] { 0.5f, null });
            await group.WriteAsync<decimal>(amount, new decimal?[] { 12.5m, null });
            await group.WriteAsync<DateTime>(day, new DateTime?[] { new DateTime(2021, 4, 12), null });
            await group.WriteAsync(label, new string?[] { "x", null }, null);
            await group.WriteAsync(raw, new byte[]?[] { [1, 2], null }, null);
        }

        var (schema, rows, _) = await ReadAllAsync(path);

        Assert.Equal(
            [ArrowTypeId.Int64, ArrowTypeId.Timestamp, ArrowTypeId.Int32, ArrowTypeId.Int64, ArrowTypeId.Float, ArrowTypeId.Double, ArrowTypeId.Timestamp, ArrowTypeId.String, ArrowTypeId.Binary],
            schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal([Day.AddHours(10), Day.AddHours(11)], rows.Select(r => r["event_timestamp"]));
        Assert.Equal([-3, null], rows.Select(r => r["small"]));
        Assert.Equal([4_000_000_000L, null], rows.Select(r => r["unsigned"]));
        Assert.Equal([0.5f, null], rows.Select(r => r["ratio"]));
        Assert.Equal([12.5, null], rows.Select(r => r["amount"]));
        Assert.Equal([Day, null], rows.Select(r => r["day"]));
        Assert.Equal(["x", null], rows.Select(r => r["label"]));
        Assert.Equal([1, 2], (byte[])rows[0]["raw"]!);
    }

    [Fact]
    public async Task OpenAsync_ParquetWithoutRowsOrWithAListOrNotParquet_SaysWhy()
    {
        var emptyPath = Path.Combine(_folder, "norows.parquet");
        var id = new DataField<long>("driver_id");
        await using (var file = File.Create(emptyPath))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id), file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, System.Array.Empty<long>());
        }

        var listPath = Path.Combine(_folder, "list.parquet");
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(new[] { new Tagged { Id = 1, Tags = [1, 2] } }, listPath);

        Assert.Equal($"entity file '{emptyPath}' has no rows; expected one row per entity row", (await OpenFailsAsync(emptyPath)).Message);
        Assert.Equal($"entity file '{listPath}': column 'Tags' is a list, map or struct; entity rows hold flat columns only", (await OpenFailsAsync(listPath)).Message);
        Assert.StartsWith($"entity file '{Path.Combine(_folder, "text.parquet")}' is not a readable Parquet file (", (await OpenFailsAsync(Write("text.parquet", "driver_id\n1\n"))).Message, StringComparison.Ordinal);
    }

    private sealed class Tagged
    {
        public long Id { get; set; }

        public int[] Tags { get; set; } = [];
    }
}

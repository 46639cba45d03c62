import KlaxonConfig
import Testing

@Suite struct YAMLParserTests {
    @Test(arguments: [
        ("a: plain text", "{a: plain text}"),
        ("a: 'single ''quoted'' # not a comment'", "{a: \"single 'quoted' # not a comment\"}"),
        (#"a: "tab\there\nnew \"q\" \\ \u00e9 \x41 \U0001F6A8""#, #"{a: "tab\there\nnew \"q\" \\ é A 🚨"}"#),
        ("a: \"fold\n  across\n\n  lines\"", #"{a: "fold across\nlines"}"#),
        ("a: \"join\\\n  ed\"", #"{a: "joined"}"#),
        ("a: 'keep  '  ", #"{a: "keep  "}"#),
        ("a: text\n  continued\n\n  paragraph\nb: x", "{a: text continued\nparagraph, b: x}"),
        ("a: 1 # comment\nb: x#y", "{a: 1, b: x#y}"),
        ("url: http://host:9090/path", "{url: http://host:9090/path}"),
        ("expr: rate(x[5m]) > 0", "{expr: rate(x[5m]) > 0}"),
        ("a:\nb: ~\nc: null\nd: 'null'\ne: NULL", "{a: null, b: null, c: null, d: \"null\", e: null}"),
        ("a : spaced key\n'q k': 1\n\"d k\": 2", "{a: spaced key, q k: 1, d k: 2}"),
        ("a:\ttab separated", "{a: tab separated}"),
    ])
    func scalarStyles(input: String, expected: String) throws {
        #expect(render(try parseYAML(input)) == expected)
    }

    @Test func quotedAndPlainNumbersKeepTheirStyle() throws {
        let node = try parseYAML("plain: 1\nquoted: \"1\"\nsingle: '1'")
        #expect(node["plain"]?.kind == .scalar("1", .plain))
        #expect(node["quoted"]?.kind == .scalar("1", .doubleQuoted))
        #expect(node["single"]?.kind == .scalar("1", .singleQuoted))
    }

    @Test(arguments: [
        ("a: |\n  one\n   two\n\n  three\nb: x", #"{a: "one\n two\n\nthree\n", b: x}"#),
        ("a: |-\n  one\n  two\n\nb: x", #"{a: "one\ntwo", b: x}"#),
        ("a: |+\n  one\n\n\nb: x", #"{a: "one\n\n\n", b: x}"#),
        ("a: |\n  no newline at end", #"{a: "no newline at end"}"#),
        ("a: >\n  one\n  two\n\n  three\n    indented\n  four\n", #"{a: "one two\nthree\n  indented\nfour\n"}"#),
        ("a: >-\n  folded\n  strip\n", #"{a: "folded strip"}"#),
        ("a: >+\n  keep\n\n", #"{a: "keep\n\n"}"#),
        ("a: |2\n    deeper\n  base\n", #"{a: "  deeper\nbase\n"}"#),
        ("a: |-2\n   x\n", #"{a: " x"}"#),
        ("a: | # comment\n  # not a comment\n", ##"{a: "# not a comment\n"}"##),
        ("- |\n  item\n- >\n  next\n", #"["item\n", "next\n"]"#),
        ("a: |\nb: x", #"{a: "", b: x}"#),
    ])
    func blockScalars(input: String, expected: String) throws {
        #expect(render(try parseYAML(input)) == expected)
    }

    @Test(arguments: [
        ("a: [1, 'two', \"three\", four five]", #"{a: [1, "two", "three", four five]}"#),
        ("a: {b: 1, c: [x, {d: e}], f: }", "{a: {b: 1, c: [x, {d: e}], f: null}}"),
        ("a: [1,\n  2, # comment\n  3]", "{a: [1, 2, 3]}"),
        ("a: []\nb: {}", "{a: [], b: {}}"),
        (#"{"json": 1, "style": [true]}"#, "{json: 1, style: [true]}"),
        ("a: [x, y,]", "{a: [x, y]}"),
        ("[a:b, http://x]", "[a:b, http://x]"),
    ])
    func flowCollections(input: String, expected: String) throws {
        #expect(render(try parseYAML(input)) == expected)
    }

    @Test(arguments: [
        ("a:\n- 1\n- 2\nb: x", "{a: [1, 2], b: x}"),
        ("a:\n  - 1\n  - 2\nb: x", "{a: [1, 2], b: x}"),
        ("- a: 1\n  b: 2\n- c: 3", "[{a: 1, b: 2}, {c: 3}]"),
        ("- - x\n  - y\n- z", "[[x, y], z]"),
        ("-\n  a: 1\n-\n- ", "[{a: 1}, null, null]"),
        ("a:\n  b:\n    c:\n    - d: 1\n      e: 2\n  f: g", "{a: {b: {c: [{d: 1, e: 2}]}, f: g}}"),
        ("# head\n---\n# after marker\na: 1\n...\n# trailer", "{a: 1}"),
        ("", "null"),
        ("# only a comment\n", "null"),
        ("just text", "just text"),
        ("a: 1\r\nb:\r\n  - x\r\n", "{a: 1, b: [x]}"),
        ("\u{FEFF}a: 1", "{a: 1}"),
    ])
    func blockStructure(input: String, expected: String) throws {
        #expect(render(try parseYAML(input)) == expected)
    }

    @Test func marksPointAtNodes() throws {
        let node = try parseYAML("# c\nserver:\n  listen: \"x\"\nlist:\n  - é: 1\n    b: 2")
        #expect(node.mark == Mark(line: 2, column: 1))
        #expect(node["server"]?.mark == Mark(line: 3, column: 3))
        #expect(node["server"]?["listen"]?.mark == Mark(line: 3, column: 11))
        let item = node["list"]?.sequenceItems?.first
        #expect(item?.mark == Mark(line: 5, column: 5))
        #expect(item?.mappingEntries?.last?.keyMark == Mark(line: 6, column: 5))
        #expect(item?["é"]?.mark == Mark(line: 5, column: 8))
    }

    @Test func mappingsKeepSourceOrder() throws {
        let node = try parseYAML("z: 1\na: 2\nm: 3")
        #expect(node.mappingEntries?.map(\.key) == ["z", "a", "m"])
    }
}

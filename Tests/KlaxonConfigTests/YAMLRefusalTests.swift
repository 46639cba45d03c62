import KlaxonConfig
import Testing

@Suite struct YAMLRefusalTests {
    /// Each refused feature, with the exact line and column the error names and a word of its sentence.
    @Test(arguments: [
        ("a: &anchor 1", 1, 4, "anchors (&) are not supported"),
        ("a: 1\nb: *alias", 2, 4, "aliases (*) are not supported"),
        ("a: !!str 1", 1, 4, "tags (!) are not supported"),
        ("- !custom x", 1, 3, "tags (!) are not supported"),
        ("a: 1\n---\nb: 2", 2, 1, "only one document per file"),
        ("a: 1\n...\nb: 2", 3, 1, "only one document per file"),
        ("a:\n\tb: 1", 2, 1, "tab character in indentation"),
        ("a:\n  b: 1\n \tc: 2", 3, 2, "tab character in indentation"),
        ("listen: a\nother: b\nlisten: c", 3, 1, "duplicate key \"listen\" (first defined at line 1)"),
        ("a: {x: 1, x: 2}", 1, 11, "duplicate key \"x\""),
        ("? complex\n: value", 1, 1, "complex mapping keys (?) are not supported"),
        ("[a, b]: c", 1, 1, "complex mapping keys"),
        ("%YAML 1.2\n---\na: 1", 1, 1, "directives (%) are not supported"),
        ("a: 'open", 1, 4, "unterminated single-quoted string"),
        ("a: \"open\n", 1, 4, "unterminated double-quoted string"),
        ("a: [1, 2", 1, 4, "not closed"),
        ("a: [\"x\" y]", 1, 9, "expected \",\" or \"]\""),
        (#"a: "\q""#, 1, 5, "unknown escape \\q"),
        (#"a: "\u12""#, 1, 5, "needs 4 hexadecimal digits"),
        (#"a: "\uD800""#, 1, 5, "not a Unicode scalar value"),
        ("a: 1\n  b: 2", 2, 4, "mapping values are not allowed here"),
        ("a: b: c", 1, 4, "mapping values are not allowed here"),
        ("a: - x", 1, 4, "block sequence cannot start on the same line"),
        ("a:\n  - x\n  b: y", 3, 3, "unexpected indentation; expected a key at column 1"),
        ("a: 1\n- x", 2, 1, "found a sequence entry"),
        ("a: |x\n  t", 1, 5, "invalid block scalar header"),
        ("a: \"x\" y", 1, 8, "only a comment may follow"),
        ("a: @x", 1, 4, "reserved"),
        ("a: [x: 1]", 1, 6, "must be wrapped in { }"),
        (": v", 1, 1, "a mapping key is missing"),
    ])
    func refusedFeature(input: String, line: Int, column: Int, message: String) throws {
        let error = try #require(yamlError(input))
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("test.yml:\(line):\(column): "))
    }

    @Test func duplicateKeyErrorReadsAsASentence() throws {
        let error = try #require(yamlError("server:\n  listen: a\n  listen: b"))
        #expect(
            error.description
                == "test.yml:3:3: duplicate key \"listen\" (first defined at line 2); each key may appear once")
    }

    @Test func documentSizeIsLimited() throws {
        let text = String(repeating: "a", count: 100)
        #expect(throws: YAMLError.self) { try YAML.parse(text, file: "big.yml", limits: YAMLLimits(maxBytes: 99)) }
        #expect(try YAML.parse(text, file: "ok.yml", limits: YAMLLimits(maxBytes: 100)).scalarText == text)
    }

    @Test(arguments: ["[", "{a: ", "- "])
    func nestingDepthIsLimited(unit: String) throws {
        let text = String(repeating: unit, count: 200) + "x"
        let error = try #require(yamlError(text))
        #expect(error.message.contains("nested more than 64 levels"), "\(error)")
    }
}

import KlaxonMetrics
import KlaxonPromQL
import Testing

@Suite struct ParserTests {
    /// Query → how it prints back; printing shows grouping, precedence and literal folding.
    @Test(arguments: [
        ("1 + 2 * 3", "1 + 2 * 3"),
        ("2 ^ 3 ^ 2", "2 ^ 3 ^ 2"),
        ("-2 ^ 2", "-2 ^ 2"),
        ("0x1F", "31"),
        ("-inF", "-Inf"),
        ("foo{a=\"b\", c!~'d.*'} offset -5m", "foo{a=\"b\", c!~\"d.*\"} offset -5m"),
        (
            "rate(http_requests_total{job=\"api\"}[1h30m] offset 1d)",
            "rate(http_requests_total{job=\"api\"}[1h30m] offset 1d)"
        ),
        ("sum(x) by (job)", "sum by (job) (x)"),
        ("topk without (a) (3, x)", "topk without (a) (3, x)"),
        ("a > bool on(job) group_left(instance) b", "a > bool on(job) group_left(instance) b"),
        ("count_values(\"v\", x)", "count_values(\"v\", x)"),
        ("label_join(x, \"d\", \",\", \"a\", \"b\")", "label_join(x, \"d\", \",\", \"a\", \"b\")"),
        ("{__name__=~\"a|b\"}", "{__name__=~\"a|b\"}"),
    ])
    func printsBackAsPromQL(query: String, printed: String) throws {
        let expr = try PromQL.parse(query)
        #expect(expr.description == printed)
        #expect(try PromQL.parse(expr.description) == expr)
    }

    @Test func powerIsRightAssociativeAndBindsTighterThanUnaryMinus() throws {
        guard case .binary(let outer) = try PromQL.parse("2 ^ 3 ^ 2") else {
            Issue.record("not a binary expression")
            return
        }
        #expect(outer.lhs == .number(2))
        guard case .negation(let inner) = try PromQL.parse("-2 ^ 2"), case .binary(let power) = inner else {
            Issue.record("unary minus should wrap the power")
            return
        }
        #expect(power.op == .power)
    }

    @Test func multiplicationBindsTighterThanAdditionAndComparison() throws {
        guard case .binary(let top) = try PromQL.parse("a + b * c > bool 1 and d") else {
            Issue.record("not a binary expression")
            return
        }
        #expect(top.op == .and)
        guard case .binary(let comparison) = top.lhs, case .binary(let sum) = comparison.lhs else {
            Issue.record("unexpected shape \(top)")
            return
        }
        #expect(comparison.op == .greater && comparison.returnBool)
        #expect(sum.op == .add)
    }

    /// Invalid queries and the position and message of their error.
    @Test(arguments: [
        // promtool 2.42's text for each (`promtool test rules` prints the same after "err: ").
        ("sum(rate(x[5m])))", "1:18: parse error: unexpected right parenthesis ')'"),
        ("foo{a=\"b\"", "1:10: parse error: unexpected end of input inside braces"),
        ("{a=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("rate(x)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("abs(x[5m])", "1:5: parse error: expected type instant vector in call to function \"abs\", got range vector"),
        ("1 > 2", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ("1 and x", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("x + bool y", "1:3: parse error: bool modifier can only be used on comparison operators"),
        ("x\n  + on(a) group_left(a) y", "2:3: parse error: label \"a\" must not occur in ON and GROUP clause at once"),
        ("x[5m:1m]", "1:2: parse error: subqueries are not supported by Klaxon"),
        ("x @ 100", "1:3: parse error: the @ modifier is not supported by Klaxon"),
        ("foo(x)", "1:1: parse error: unknown function with name \"foo\""),
        ("x[5x]", "1:3: parse error: bad duration syntax: \"5\""),
        // Prometheus keeps durations as int64 nanoseconds; longer ones would overflow time arithmetic.
        ("x[293y]", "1:3: parse error: duration out of range"),
        ("x offset 106751d23h47m16s855ms", "1:10: parse error: duration out of range"),
        ("x[5m5m]", "1:3: parse error: not a valid duration string: \"5m5m\""),
        ("\"abc", "1:1: parse error: unterminated quoted string"),
        ("x{a=\"b\\q\"}", "1:5: parse error: unknown escape sequence U+0071 'q'"),
        ("x{a=\"\\x4\"}", "1:5: parse error: illegal character U+0022 '\"' in escape sequence"),
        ("x{a=\"\\18\"}", "1:5: parse error: illegal character U+0038 '8' in escape sequence"),
        ("x{a=\"\\400\"}", "1:5: parse error: escape sequence is an invalid Unicode code point"),
        ("x{a=\"\\ud800\"}", "1:5: parse error: escape sequence is an invalid Unicode code point"),
        ("x offset 5m offset 1m", "1:1: parse error: offset may not be set multiple times"),
        ("sum by (a) (x) by (b)", "1:16: parse error: unexpected <by>"),
        ("topk(x)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ("", "1:1: parse error: no expression found in input"),
        ("a * group_left b", "1:5: parse error: unexpected <group_left>"),
        // Columns count bytes, as Prometheus's do.
        ("x{é=\"1\"}", "1:3: parse error: unexpected character inside braces: 'é'"),
        ("\"é\" + x[", "1:10: parse error: missing unit character in duration"),
        ("\"éé\"\n + é", "2:4: parse error: unexpected character: 'é'"),
    ])
    func rejectsWithPosition(query: String, message: String) {
        #expect(throws: PromQLError.self) { try PromQL.parse(query) }
        do {
            _ = try PromQL.parse(query)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func unsupportedFunctionIsNamedWithTheSupportedList() {
        do {
            _ = try PromQL.parse("holt_winters(x[5m], 0.5, 0.5)")
            Issue.record("holt_winters parsed")
        } catch {
            #expect(
                error.message.hasPrefix("function \"holt_winters\" is not supported by Klaxon (supported: rate, irate"))
        }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: PromQLError.self) { try PromQL.parse(deep) }
        let minus = String(repeating: "-", count: 5000) + "1"
        #expect(throws: PromQLError.self) { try PromQL.parse(minus) }
    }

    @Test func listsTheMetricNamesAndSelectorsItReads() throws {
        let expr = try PromQL.parse("rate(a_total[5m]) / on(job) group_left b{job=\"x\"} > 0 or absent(c)")
        #expect(expr.metricNames == ["a_total", "b", "c"])
        #expect(expr.selectors.count == 3)
        #expect(try PromQL.parse("sum({job=\"x\"})").metricNames == nil)
    }

    @Test func stringEscapesFollowGo() throws {
        #expect(try PromQL.parse(#""a\tb\x41\u00e9\101""#) == .string("a\tbAéA"))
        #expect(try PromQL.parse(#"`raw\n`"#) == .string(#"raw\n"#))
        #expect(throws: PromQLError.self) { try PromQL.parse(#""\q""#) }
    }
}

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
        ("a > bool on(job) group_left(instance) b", "a > bool on (job) group_left (instance) b"),
        ("count_values(\"v\", x)", "count_values(\"v\", x)"),
        ("label_join(x, \"d\", \",\", \"a\", \"b\")", "label_join(x, \"d\", \",\", \"a\", \"b\")"),
        ("{__name__=~\"a|b\"}", "{__name__=~\"a|b\"}"),
        ("max_over_time(rate(x[1m])[1h:5m])", "max_over_time(rate(x[1m])[1h:5m])"),
        ("(a + b)[5m:] offset 1m", "(a + b)[5m:] offset 1m"),
        ("x @ 1.5 offset 1m", "x @ 1.500 offset 1m"),
        ("x offset 1m @ -2", "x @ -2.000 offset 1m"),
        ("x[5m] offset 1m @ start()", "x[5m] @ start() offset 1m"),
        ("sum(x)[5m:1m] @ END ( )", "sum(x)[5m:1m] @ end()"),
        ("x @ 0.0005", "x @ 0.001"),
        ("a atan2 on(b) c", "a atan2 on (b) c"),
        ("group by (a) (x)", "group by (a) (x)"),
        ("minute()", "minute()"),
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
        // The subquery and @ errors as promtool 2.42 words and places them.
        ("x[5m][5m:]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        ("\"a\"[5m:]", "1:1: parse error: subquery is only allowed on instant vector, got string instead"),
        ("x[5m:0s]", "1:6: parse error: duration must be greater than 0"),
        ("x[0s:1m]", "1:3: parse error: duration must be greater than 0"),
        ("sum(x)[5m]", "1:7: parse error: ranges only allowed for vector selectors"),
        ("x[5m:1m] [1m]", "1:10: parse error: ranges only allowed for vector selectors"),
        ("x @ 100 [5m]", "1:9: parse error: no @ modifiers allowed before range"),
        (
            "sum(x) @ 100",
            "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"
        ),
        (
            "(x) @ 1",
            "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"
        ),
        (
            "(x) offset 1m",
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"
        ),
        ("x @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        ("x[5m:] @ 1 @ end()", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        ("x[5m:] offset 1m offset 2m", "1:1: parse error: offset may not be set multiple times"),
        ("x @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
        ("x @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"),
        ("x @ 1e20", "1:1: parse error: timestamp out of bounds for @ modifier: 100000000000000000000.000000"),
        (
            "x @ 9223372036854775807",
            "1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000"
        ),
        ("x @ 1 + y[5m:] @ -Inf", "1:9: parse error: timestamp out of bounds for @ modifier: -Inf"),
    ])
    func rejectsWithPosition(query: String, message: String) {
        #expect(throws: PromQLError.self) { try PromQL.parse(query) }
        do {
            _ = try PromQL.parse(query)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func modifiersLandOnTheSelectorOrSubqueryTheyFollow() throws {
        guard case .call(let call) = try PromQL.parse("rate(x[5m:] offset 1m @ 100)"),
            case .subquery(let subquery) = call.args[0]
        else {
            Issue.record("not a call over a subquery")
            return
        }
        #expect(subquery.range == 300_000 && subquery.step == nil)
        #expect(subquery.offset == 60_000 && subquery.at == .timestamp(100_000))
        guard case .matrixSelector(let selector, let range) = try PromQL.parse("x[1m] @ start() offset -1s") else {
            Issue.record("not a range selector")
            return
        }
        #expect(range == 60_000 && selector.at == .start && selector.offset == -1_000)
        // Unary minus binds looser than the modifiers, as in Prometheus's grammar.
        guard case .negation(.vectorSelector(let negated)) = try PromQL.parse("-x @ 3") else {
            Issue.record("minus should wrap the selector")
            return
        }
        #expect(negated.at == .timestamp(3_000))
    }

    @Test func subqueryReadsItsSelectorsMetricNames() throws {
        #expect(try PromQL.parse("max_over_time(rate(a[1m])[1h:]) + b").metricNames == ["a", "b"])
        #expect(
            try PromQL.parse("max_over_time(rate(a[1m] offset 2m)[1h:] offset 1h)").lookbehind(lookbackDelta: 0)
                == 3_600_000 + 3_600_000 + 60_000 + 120_000)
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

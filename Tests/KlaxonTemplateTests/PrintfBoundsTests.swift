import KlaxonTemplate
import Testing

/// Widths and precisions from a template's `printf`: Go's fmt never panics on them, and neither may
/// Klaxon (Issue 11: `%*d` with the smallest int trapped in `abs`). Expected texts follow Go's
/// fmt (`intFromArg`, `parsenum`, `fmtInteger`, `fmtC`, `fmtUnicode`), as promtool prints them.
@Suite struct PrintfBoundsTests {
    private func expand(_ text: String) throws -> String {
        try AlertShapedData.template(text, name: "__alert_A").expand(AlertShapedData.make(labels: [:], value: 1))
    }

    @Test(arguments: [
        // `*` arguments outside ±10^6, or not ints, are Go's BADWIDTH / BADPREC; the verb still prints.
        ("{{ printf \"%*d\" -9223372036854775808 1 }}", "%!(BADWIDTH)1"),
        ("{{ printf \"%*d\" 9223372036854775807 1 }}", "%!(BADWIDTH)1"),
        ("{{ printf \"%*d\" 10000000 1 }}", "%!(BADWIDTH)1"),
        ("{{ printf \"%-*d\" -9223372036854775808 1 }}", "%!(BADWIDTH)1"),
        ("{{ printf \"%*d\" 1.5 1 }}", "%!(BADWIDTH)1"),
        ("{{ printf \"%*d\" \"x\" 1 }}", "%!(BADWIDTH)1"),
        ("{{ printf \"%.*f\" 10000000 1.0 }}", "%!(BADPREC)1.000000"),
        ("{{ printf \"%.*f\" -9223372036854775808 1.0 }}", "%!(BADPREC)1.000000"),
        ("{{ printf \"%.*d\" -1 5 }}", "%!(BADPREC)5"),
        ("{{ printf \"%*.*d|\" 10000000 10000000 5 }}", "%!(BADWIDTH)%!(BADPREC)5|"),
        // A negative `*` width pads on the right, never with zeros.
        ("{{ printf \"%*d|\" -5 1 }}", "1    |"),
        ("{{ printf \"%0*d|\" -5 1 }}", "1    |"),
        ("{{ printf \"%*d|\" 1000000 1 | len }}", "1000001"),
        // A written number that grows past 10^6 is Go's overflow: the rest of the format is lost.
        ("{{ printf \"%100000000d\" 1 }}", "%!(NOVERB)%!(EXTRA int=1)"),
        ("{{ printf \"%.100000000d|\" 1 }}", "%!(NOVERB)%!(EXTRA int=1)"),
        ("{{ printf \"%99999999999999999999999d\" 1 }}", "%!(NOVERB)%!(EXTRA int=1)"),
        // A dot at the very end is the verb, not a precision.
        ("{{ printf \"%5.\" 1 }}", "%!.(int=    1)"),
        // Integers as Go's fmtInteger, fmtC and fmtUnicode print them.
        ("{{ printf \"%#08x|%08d|%+08d\" 255 -42 42 }}", "0x000000ff|-0000042|+0000042"),
        (
            "{{ printf \"%d|%x\" -9223372036854775808 -9223372036854775808 }}",
            "-9223372036854775808|-8000000000000000"
        ),
        ("{{ printf \"[%.0d][%5.0d][%+.0d]\" 0 0 0 }}", "[][     ][]"),
        ("{{ printf \"%U|%U|%.6U|%#U\" -1 65 65 65 }}", "U+FFFFFFFFFFFFFFFF|U+0041|U+000041|U+0041 'A'"),
        ("{{ printf \"%c%c%c|%q\" 1114112 -1 55296 -9223372036854775808 }}", "\u{FFFD}\u{FFFD}\u{FFFD}|'\u{FFFD}'"),
    ])
    func widthsAndPrecisionsNeverTrap(_ template: String, _ expected: String) throws {
        #expect(try expand(template) == expected)
    }

    @Test func longPrecisionIsPrintedInFullNotCutAtABufferSize() throws {
        let output = try expand("{{ printf \"%.3000f\" 0.1 }}")
        // 0.1 is 0.1000000000000000055511151231257827021181583404541015625 exactly; then zeros.
        let exact = "0.1000000000000000055511151231257827021181583404541015625"
        #expect(output == exact + String(repeating: "0", count: 3002 - exact.count))
        #expect(try expand("{{ printf \"%.*d\" 1000000 7 | len }}") == "1000000")
    }

    /// Go would print megabytes here; Klaxon refuses anything past its output bound instead,
    /// without allocating the width first.
    @Test(arguments: [
        "{{ printf \"%10000000d\" 1 }}",
        "{{ printf \"%-9999999s\" \"x\" }}",
        "{{ printf \"%.9999999f\" 1.0 }}",
        "{{ printf \"%.9999999e\" 1.0 }}",
        "{{ printf \"%.9999999d\" 1 }}",
    ])
    func widthsPastTheOutputBoundAreRefused(_ template: String) throws {
        #expect {
            try expand(template)
        } throws: { error in
            "\(error)".contains("result is longer than \(Template.maxOutput) bytes")
        }
    }

    @Test func hugePrecisionInGeneralFormatGivesTheExactDigits() throws {
        // %g drops trailing zeros, so a huge precision must not be refused or cut.
        #expect(try expand("{{ printf \"%.9999999g\" 0.5 }}") == "0.5")
        #expect(try expand("{{ printf \"%.9999999g\" 1e300 | len }}") == "301")
    }
}

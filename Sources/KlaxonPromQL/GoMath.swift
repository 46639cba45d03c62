/// Go's `math.Log`, `math.Log2` and `math.Log10`, which Prometheus's `ln`, `log2` and `log10` call.
///
/// The C library's functions are correctly rounded more often than Go's, so they differ from Prometheus in
/// the last bit for some inputs (`ln(6.75)`, `log10(0.1)`). This is Go's algorithm, FreeBSD's `e_log.c`,
/// step for step, as Go's amd64 assembly computes it (same operations in the same order).
enum GoMath {
    // The constants of FreeBSD's e_log.c, as Go spells them.
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10
    private static let l1 = 6.666666666666735130e-01
    private static let l2 = 3.999999999940941908e-01
    private static let l3 = 2.857142874366239149e-01
    private static let l4 = 2.222219843214978396e-01
    private static let l5 = 1.818357216161805012e-01
    private static let l6 = 1.531383769920937332e-01
    private static let l7 = 1.479819860511658591e-01
    /// Go's `Sqrt2/2`, an exact constant rounded once.
    private static let halfSqrt2 = Double(bitPattern: 0x3FE6_A09E_667F_3BCD)
    /// Go's `1/Ln2` and `1/Ln10`, exact constant expressions rounded once (not a double division).
    private static let log2E = Double(bitPattern: 0x3FF7_1547_652B_82FE)
    private static let log10E = Double(bitPattern: 0x3FDB_CB7B_1526_E50E)

    /// Go's `math.Log`.
    static func log(_ x: Double) -> Double {
        if x.isNaN || x == .infinity { return x }
        if x < 0 { return .nan }
        if x == 0 { return -.infinity }
        // Reduced as Go's amd64 assembly (log_amd64.s) reduces it, which Prometheus's amd64 builds run: the
        // exponent and fraction bits are taken as they are, without normalising a subnormal first as
        // `frexp` would. For a normal `x` that is `frexp`; for a subnormal one it is Go's amd64 answer
        // (`ln(2.5e-320)` is -709.09 there, not -735.9).
        let bits = x.bitPattern
        var f1 = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FE0_0000_0000_0000)
        var k = Double(Int((bits >> 52) & 0x7FF) - 0x3FE)
        if f1 < halfSqrt2 {
            f1 *= 2
            k -= 1
        }
        let f = f1 - 1
        let s = f / (2 + f)
        let s2 = s * s
        let s4 = s2 * s2
        // Swift fuses no multiply and add here, nor does Go on amd64, so every rounding falls where Go's does.
        let t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)))
        let t2 = s4 * (l2 + s4 * (l4 + s4 * l6))
        let r = t1 + t2
        let hfsq = 0.5 * f * f
        return k * ln2Hi - ((hfsq - (s * (hfsq + r) + k * ln2Lo)) - f)
    }

    /// Go's `math.Log2`: exact for powers of two.
    static func log2(_ x: Double) -> Double {
        let (fraction, exponent) = frexp(x)
        if fraction == 0.5 { return Double(exponent - 1) }
        return log(fraction) * log2E + Double(exponent)
    }

    /// Go's `math.Frexp`: `x` = fraction × 2^exponent with |fraction| in [0.5, 1), sign kept (Swift's
    /// overlay `frexp` drops the sign, which would give `log2(-10)` a value instead of NaN).
    static func frexp(_ x: Double) -> (fraction: Double, exponent: Int) {
        guard x != 0, x.isFinite else { return (x, 0) }
        var value = x
        var exponent = 0
        if Swift.abs(value) < .leastNormalMagnitude {
            value *= 0x1p52
            exponent = -52
        }
        let bits = value.bitPattern
        exponent += Int((bits >> 52) & 0x7FF) - 1022
        let fraction = Double(bitPattern: (bits & ~(UInt64(0x7FF) << 52)) | (UInt64(1022) << 52))
        return (fraction, exponent)
    }

    /// Go's `math.Log10`.
    static func log10(_ x: Double) -> Double {
        log(x) * log10E
    }
}

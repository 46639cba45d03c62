/// Go's `math.Atan`, `math.Asin`, `math.Acos` and `math.Atan2` (Cephes's algorithms, pure Go on amd64), which
/// Prometheus's `atan`, `asin`, `acos` and `atan2` call; the C library rounds some results the other way
/// (`acos(0.5)`). Same operations in the same order, no fused multiply-add, as Go compiles them on amd64.
enum GoTrigonometry {
    private static let halfPi = 1.57079632679489661923132169163975144209858469968755291
    private static let quarterPi = 0.785398163397448309615660845819875721049292349843776455
    private static let threeQuarterPi = 2.35619449019234492884698253745962716314787704953132936

    /// Go's `xatan`: a rational approximation valid in [0, 0.66].
    private static func xatan(_ x: Double) -> Double {
        let p0 = -8.750608600031904122785e-01
        let p1 = -1.615753718733365076637e+01
        let p2 = -7.500855792314704667340e+01
        let p3 = -1.228866684490136173410e+02
        let p4 = -6.485021904942025371773e+01
        let q0 = +2.485846490142306297962e+01
        let q1 = +1.650270098316988542046e+02
        let q2 = +4.328810604912902668951e+02
        let q3 = +4.853903996359136964868e+02
        let q4 = +1.945506571482613964425e+02
        var z = x * x
        let numerator = (((p0 * z + p1) * z + p2) * z + p3) * z + p4
        let denominator = ((((z + q0) * z + q1) * z + q2) * z + q3) * z + q4
        z = z * numerator / denominator
        return x * z + x
    }

    /// Go's `satan`: reduces a positive argument to [0, 0.66].
    private static func satan(_ x: Double) -> Double {
        let moreBits = 6.123233995736765886130e-17
        let tan3PiOver8 = 2.41421356237309504880
        if x <= 0.66 { return xatan(x) }
        if x > tan3PiOver8 { return halfPi - xatan(1 / x) + moreBits }
        return quarterPi + xatan((x - 1) / (x + 1)) + 0.5 * moreBits
    }

    static func atan(_ x: Double) -> Double {
        if x == 0 { return x }
        return x > 0 ? satan(x) : -satan(-x)
    }

    static func asin(_ x: Double) -> Double {
        if x == 0 { return x }
        let negative = x < 0
        let value = negative ? -x : x
        if value > 1 { return .nan }
        var result = (1 - value * value).squareRoot()
        result = value > 0.7 ? halfPi - satan(result / value) : satan(value / result)
        return negative ? -result : result
    }

    static func acos(_ x: Double) -> Double {
        halfPi - asin(x)
    }

    static func atan2(_ y: Double, _ x: Double) -> Double {
        if y.isNaN || x.isNaN { return .nan }
        if y == 0 {
            return x >= 0 && x.sign == .plus ? Double(signOf: y, magnitudeOf: 0) : Double(signOf: y, magnitudeOf: .pi)
        }
        if x == 0 { return Double(signOf: y, magnitudeOf: halfPi) }
        if x.isInfinite {
            if x > 0 { return Double(signOf: y, magnitudeOf: y.isInfinite ? quarterPi : 0) }
            return Double(signOf: y, magnitudeOf: y.isInfinite ? threeQuarterPi : .pi)
        }
        if y.isInfinite { return Double(signOf: y, magnitudeOf: halfPi) }
        let q = atan(y / x)
        if x < 0 { return q <= 0 ? q + .pi : q - .pi }
        return q
    }
}

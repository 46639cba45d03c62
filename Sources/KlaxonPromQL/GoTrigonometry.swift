import Foundation

/// Go's `math.Sin`, `Cos`, `Tan`, `Atan`, `Asin`, `Acos` and `Atan2` (Cephes's algorithms, pure Go on amd64),
/// which Prometheus's functions and `atan2` call; the C library rounds some results the other way
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

    // MARK: - sin, cos, tan

    private static let sinCoefficients: [Double] = [
        1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
        -1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1,
    ]
    private static let cosCoefficients: [Double] = [
        -1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
        2.48015872888517045348e-5, -1.38888888888730564116e-3, 4.16666666666665929218e-2,
    ]
    /// π/4 in three parts, for Cody and Waite's extended-precision reduction.
    private static let pi4A = 7.85398125648498535156e-1
    private static let pi4B = 3.77489470793079817668e-8
    private static let pi4C = 2.69515142907905952645e-15
    /// Go's constant `4 / Pi`, rounded once.
    private static let fourOverPi = 1.27323954473516268615107010698011489627567716592365
    /// Go reduces larger arguments with Payne and Hanek's method; Klaxon leaves those to the C library.
    private static let reduceThreshold = Double(1 << 29)

    /// The octant of a non-negative `x` below `reduceThreshold` and `x` reduced into it, as Go computes them.
    private static func reduce(_ x: Double) -> (octant: UInt64, z: Double) {
        var j = UInt64(x * fourOverPi)
        var y = Double(j)
        // Map zeros to the origin.
        if j & 1 == 1 {
            j += 1
            y += 1
        }
        return (j & 7, ((x - y * pi4A) - y * pi4B) - y * pi4C)
    }

    private static func sinPolynomial(_ z: Double, _ zz: Double) -> Double {
        let c = sinCoefficients
        return z + z * zz * ((((((c[0] * zz) + c[1]) * zz + c[2]) * zz + c[3]) * zz + c[4]) * zz + c[5])
    }

    private static func cosPolynomial(_ zz: Double) -> Double {
        let c = cosCoefficients
        return 1.0 - 0.5 * zz + zz * zz * ((((((c[0] * zz) + c[1]) * zz + c[2]) * zz + c[3]) * zz + c[4]) * zz + c[5])
    }

    static func sin(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x.isInfinite { return .nan }
        var negative = x < 0
        let value = Swift.abs(x)
        guard value < reduceThreshold else { return Foundation.sin(x) }
        var (j, z) = reduce(value)
        if j > 3 {
            negative.toggle()
            j -= 4
        }
        let zz = z * z
        let y = j == 1 || j == 2 ? cosPolynomial(zz) : sinPolynomial(z, zz)
        return negative ? -y : y
    }

    static func cos(_ x: Double) -> Double {
        if x.isNaN || x.isInfinite { return .nan }
        let value = Swift.abs(x)
        guard value < reduceThreshold else { return Foundation.cos(x) }
        var negative = false
        var (j, z) = reduce(value)
        if j > 3 {
            j -= 4
            negative.toggle()
        }
        if j > 1 { negative.toggle() }
        let zz = z * z
        let y = j == 1 || j == 2 ? sinPolynomial(z, zz) : cosPolynomial(zz)
        return negative ? -y : y
    }

    static func tan(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x.isInfinite { return .nan }
        let value = Swift.abs(x)
        guard value < reduceThreshold else { return Foundation.tan(x) }
        // Go's tan maps zeros and singularities without reducing the octant modulo 8.
        var j = UInt64(value * fourOverPi)
        var y = Double(j)
        if j & 1 == 1 {
            j += 1
            y += 1
        }
        let z = ((value - y * pi4A) - y * pi4B) - y * pi4C
        let zz = z * z
        if zz > 1e-14 {
            let p0 = -1.30936939181383777646e4
            let p1 = 1.15351664838587416140e6
            let p2 = -1.79565251976484877988e7
            let q1 = 1.36812963470692954678e4
            let q2 = -1.32089234440210967447e6
            let q3 = 2.50083801823357915839e7
            let q4 = -5.38695755929454629881e7
            y = z + z * (zz * (((p0 * zz) + p1) * zz + p2) / ((((zz + q1) * zz + q2) * zz + q3) * zz + q4))
        } else {
            y = z
        }
        if j & 2 == 2 { y = -1 / y }
        return x < 0 ? -y : y
    }

    // MARK: - asinh, acosh

    private static let ln2 = 6.93147180559945286227e-01
    private static let large = Double(1 << 28)

    /// Go's `math.Asinh`; its `Log1p` branch (|x| ≤ 2) is the C library's `log1p`.
    static func asinh(_ x: Double) -> Double {
        if x.isNaN || x.isInfinite { return x }
        let value = Swift.abs(x)
        let result: Double
        if value > large {
            result = GoMath.log(value) + ln2
        } else if value > 2 {
            result = GoMath.log(2 * value + 1 / ((value * value + 1).squareRoot() + value))
        } else if value < 1 / large {
            result = value
        } else {
            result = Foundation.log1p(value + value * value / (1 + (1 + value * value).squareRoot()))
        }
        return x < 0 ? -result : result
    }

    /// Go's `math.Acosh`; its `Log1p` branch (1 < x ≤ 2) is the C library's `log1p`.
    static func acosh(_ x: Double) -> Double {
        if x < 1 || x.isNaN { return .nan }
        if x == 1 { return 0 }
        if x >= large { return GoMath.log(x) + ln2 }
        if x > 2 { return GoMath.log(2 * x - 1 / (x + (x * x - 1).squareRoot())) }
        let t = x - 1
        return Foundation.log1p(t + (2 * t + t * t).squareRoot())
    }

    // MARK: - sinh, tanh near zero

    /// Go's `math.Sinh` for |x| ≤ 0.5 (Hart and Cheney's #2029); above, Go uses its `Exp`, and so does
    /// the C library's `sinh` here.
    static func sinh(_ x: Double) -> Double {
        let value = Swift.abs(x)
        guard value <= 0.5 else { return Foundation.sinh(x) }
        let p0 = -0.6307673640497716991184787251e+6
        let p1 = -0.8991272022039509355398013511e+5
        let p2 = -0.2894211355989563807284660366e+4
        let p3 = -0.2630563213397497062819489000e+2
        let q0 = -0.6307673640497716991212077277e+6
        let q1 = 0.1521517378790019070696485176e+5
        let q2 = -0.173678953558233699533450911e+3
        let sq = value * value
        var result = (((p3 * sq + p2) * sq + p1) * sq + p0) * value
        result = result / (((sq + q2) * sq + q1) * sq + q0)
        return x < 0 ? -result : result
    }

    /// Go's `math.Tanh` for |x| < 0.625; above, Go uses its `Exp`, and so does the C library's `tanh` here.
    static func tanh(_ x: Double) -> Double {
        guard Swift.abs(x) < 0.625 else { return Foundation.tanh(x) }
        if x == 0 || x.isNaN { return x }
        let p0 = -9.64399179425052238628e-1
        let p1 = -9.92877231001918586564e1
        let p2 = -1.61468768441708447952e3
        let q0 = 1.12811678491632931402e2
        let q1 = 2.23548839060100448583e3
        let q2 = 4.84406305325125486048e3
        let s = x * x
        return x + x * s * ((p0 * s + p1) * s + p2) / (((s + q0) * s + q1) * s + q2)
    }
}

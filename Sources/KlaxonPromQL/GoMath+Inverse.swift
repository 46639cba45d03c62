/// Go's inverse trigonometric and hyperbolic functions (pure Go on amd64, built on the `exp`, `log` and `sqrt`
/// Prometheus's Go runs), for PromQL's `asin`, `acos`, `atan`, `atan2`, `sinh`, `cosh`, `tanh`, `asinh`,
/// `acosh` and `atanh`.
extension GoMath {
    /// Go's `xatan`: a rational series valid in [0, 0.66].
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
        z = z * ((((p0 * z + p1) * z + p2) * z + p3) * z + p4) / (((((z + q0) * z + q1) * z + q2) * z + q3) * z + q4)
        return x * z + x
    }

    /// Go's `satan`: reduces a positive argument to [0, 0.66] for `xatan`.
    private static func satan(_ x: Double) -> Double {
        let moreBits = 6.123233995736765886130e-17
        let tan3Pi8 = 2.41421356237309504880
        if x <= 0.66 { return xatan(x) }
        if x > tan3Pi8 { return Double.pi / 2 - xatan(1 / x) + moreBits }
        return Double.pi / 4 + xatan((x - 1) / (x + 1)) + 0.5 * moreBits
    }

    /// Go's `math.Atan`.
    static func atan(_ x: Double) -> Double {
        if x == 0 { return x }
        return x > 0 ? satan(x) : -satan(-x)
    }

    /// Go's `math.Asin`.
    static func asin(_ x: Double) -> Double {
        if x == 0 { return x }
        let sign = x < 0
        let magnitude = Swift.abs(x)
        if magnitude > 1 { return .nan }
        var temp = (1 - magnitude * magnitude).squareRoot()
        temp = magnitude > 0.7 ? Double.pi / 2 - satan(temp / magnitude) : satan(magnitude / temp)
        return sign ? -temp : temp
    }

    /// Go's `math.Acos`.
    static func acos(_ x: Double) -> Double { Double.pi / 2 - asin(x) }

    /// Go's `math.Atan2`, which Prometheus's `atan2` operator calls.
    static func atan2(_ y: Double, _ x: Double) -> Double {
        if y.isNaN || x.isNaN { return .nan }
        if y == 0 {
            if x >= 0 && x.sign == .plus { return Double(signOf: y, magnitudeOf: 0) }
            return Double(signOf: y, magnitudeOf: .pi)
        }
        if x == 0 { return Double(signOf: y, magnitudeOf: .pi / 2) }
        if x.isInfinite {
            if x > 0 { return Double(signOf: y, magnitudeOf: y.isInfinite ? .pi / 4 : 0) }
            // Go's constant 3π/4, rounded once.
            return Double(signOf: y, magnitudeOf: y.isInfinite ? Double(bitPattern: 0x4002_D97C_7F33_21D2) : .pi)
        }
        if y.isInfinite { return Double(signOf: y, magnitudeOf: .pi / 2) }
        let q = atan(y / x)
        if x < 0 { return q <= 0 ? q + .pi : q - .pi }
        return q
    }

    /// Go's `math.Sinh`.
    static func sinh(_ x: Double) -> Double {
        let p0 = -0.6307673640497716991184787251e+6
        let p1 = -0.8991272022039509355398013511e+5
        let p2 = -0.2894211355989563807284660366e+4
        let p3 = -0.2630563213397497062819489e+2
        let q0 = -0.6307673640497716991212077277e+6
        let q1 = 0.1521517378790019070696485176e+5
        let q2 = -0.173678953558233699533450911e+3
        let sign = x < 0
        let magnitude = sign ? -x : x
        var temp: Double
        if magnitude > 21 {
            temp = exp(magnitude) * 0.5
        } else if magnitude > 0.5 {
            // Go 1.19 divides instead of calling Exp(-x) a second time.
            let ex = exp(magnitude)
            temp = (ex - 1 / ex) * 0.5
        } else {
            let sq = magnitude * magnitude
            temp = (((p3 * sq + p2) * sq + p1) * sq + p0) * magnitude
            temp = temp / (((sq + q2) * sq + q1) * sq + q0)
        }
        return sign ? -temp : temp
    }

    /// Go's `math.Cosh`.
    static func cosh(_ x: Double) -> Double {
        let magnitude = Swift.abs(x)
        if magnitude > 21 { return exp(magnitude) * 0.5 }
        let ex = exp(magnitude)
        return (ex + 1 / ex) * 0.5
    }

    /// Go's `math.Tanh`.
    static func tanh(_ x: Double) -> Double {
        let maxLog = 8.8029691931113054295988e+01
        let p: [Double] = [-9.64399179425052238628E-1, -9.92877231001918586564E1, -1.61468768441708447952E3]
        let q: [Double] = [1.12811678491632931402E2, 2.23548839060100448583E3, 4.84406305325125486048E3]
        var z = Swift.abs(x)
        if z > 0.5 * maxLog { return x < 0 ? -1 : 1 }
        if z >= 0.625 {
            let s = exp(2 * z)
            z = 1 - 2 / (s + 1)
            return x < 0 ? -z : z
        }
        if x == 0 { return x }
        let s = x * x
        return x + x * s * ((p[0] * s + p[1]) * s + p[2]) / (((s + q[0]) * s + q[1]) * s + q[2])
    }

    private static let ln2 = 6.93147180559945286227e-01

    /// Go's `math.Asinh`.
    static func asinh(_ x: Double) -> Double {
        if x.isNaN || x.isInfinite { return x }
        let sign = x < 0
        let magnitude = sign ? -x : x
        var temp: Double
        if magnitude > 0x1p28 {
            temp = log(magnitude) + ln2
        } else if magnitude > 2 {
            temp = log(2 * magnitude + 1 / ((magnitude * magnitude + 1).squareRoot() + magnitude))
        } else if magnitude < 0x1p-28 {
            temp = magnitude
        } else {
            temp = log1p(magnitude + magnitude * magnitude / (1 + (1 + magnitude * magnitude).squareRoot()))
        }
        return sign ? -temp : temp
    }

    /// Go's `math.Acosh`.
    static func acosh(_ x: Double) -> Double {
        if x < 1 || x.isNaN { return .nan }
        if x == 1 { return 0 }
        if x >= 0x1p28 { return log(x) + ln2 }
        if x > 2 { return log(2 * x - 1 / (x + (x * x - 1).squareRoot())) }
        let t = x - 1
        return log1p(t + (2 * t + t * t).squareRoot())
    }

    /// Go's `math.Atanh`.
    static func atanh(_ x: Double) -> Double {
        if x < -1 || x > 1 || x.isNaN { return .nan }
        if x == 1 { return .infinity }
        if x == -1 { return -.infinity }
        let sign = x < 0
        let magnitude = sign ? -x : x
        var temp: Double
        if magnitude < 0x1p-28 {
            temp = magnitude
        } else if magnitude < 0.5 {
            temp = magnitude + magnitude
            temp = 0.5 * log1p(temp + temp * magnitude / (1 - magnitude))
        } else {
            temp = 0.5 * log1p((magnitude + magnitude) / (1 - magnitude))
        }
        return sign ? -temp : temp
    }

    /// Go's `math.Log1p` (FreeBSD's s_log1p.c).
    static func log1p(_ x: Double) -> Double {
        let sqrt2M1 = 4.142135623730950488017e-01
        let sqrt2HalfM1 = -2.928932188134524755992e-01
        let ln2Hi = 6.93147180369123816490e-01
        let ln2Lo = 1.90821492927058770002e-10
        let lp: [Double] = [
            6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
            2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
            1.479819860511658591e-01,
        ]
        if x < -1 || x.isNaN { return .nan }
        if x == -1 { return -.infinity }
        if x == .infinity { return .infinity }
        let absx = Swift.abs(x)
        var f = 0.0
        var iu: UInt64 = 0
        var k = 1
        if absx < sqrt2M1 {
            if absx < 0x1p-29 {
                if absx < 0x1p-54 { return x }
                return x - x * x * 0.5
            }
            if x > sqrt2HalfM1 {
                k = 0
                f = x
                iu = 1
            }
        }
        var c = 0.0
        if k != 0 {
            var u: Double
            if absx < 0x1p53 {
                u = 1.0 + x
                iu = u.bitPattern
                k = Int(iu >> 52) - 1023
                c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0)
                c /= u
            } else {
                u = x
                iu = u.bitPattern
                k = Int(iu >> 52) - 1023
                c = 0
            }
            iu &= 0x000F_FFFF_FFFF_FFFF
            if iu < 0x0006_A09E_667F_3BCD {
                u = Double(bitPattern: iu | 0x3FF0_0000_0000_0000)
            } else {
                k += 1
                u = Double(bitPattern: iu | 0x3FE0_0000_0000_0000)
                iu = (0x0010_0000_0000_0000 - iu) >> 2
            }
            f = u - 1.0
        }
        let hfsq = 0.5 * f * f
        let kd = Double(k)
        if iu == 0 {
            if f == 0 {
                if k == 0 { return 0 }
                c += kd * ln2Lo
                return kd * ln2Hi + c
            }
            let r = hfsq * (1.0 - 0.66666666666666666 * f)
            if k == 0 { return f - r }
            return kd * ln2Hi - ((r - (kd * ln2Lo + c)) - f)
        }
        let s = f / (2.0 + f)
        let z = s * s
        let r = z * (lp[0] + z * (lp[1] + z * (lp[2] + z * (lp[3] + z * (lp[4] + z * (lp[5] + z * lp[6]))))))
        if k == 0 { return f - (hfsq - s * (hfsq + r)) }
        return kd * ln2Hi - ((hfsq - (s * (hfsq + r) + (kd * ln2Lo + c))) - f)
    }
}

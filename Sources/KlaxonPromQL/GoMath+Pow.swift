/// Go's `math.Pow`, which Prometheus's `^` operator calls. It is not correctly rounded: it splits the
/// exponent into an integer part, done by repeated squaring of the mantissa, and a fraction of at most
/// one half, done as `Exp(yf × Log(x))`; so `1.749 ^ 3` is 5.3501927490000005 there and
/// 5.350192749000001 in the C library, and `x ^ 1000` is many ulps away. Special cases as Go orders them.
extension GoMath {
    /// Go's `math.Pow`.
    static func pow(_ x: Double, _ y: Double) -> Double {
        if y == 0 || x == 1 { return 1 }
        if y == 1 { return x }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 {
            let oddNegativeZero = x.sign == .minus && isOddInteger(y)
            if y < 0 { return oddNegativeZero ? -.infinity : .infinity }
            return oddNegativeZero ? x : 0
        }
        if y.isInfinite {
            if x == -1 { return 1 }
            return (Swift.abs(x) < 1) == (y > 0) ? 0 : .infinity
        }
        if x.isInfinite {
            if x < 0 { return pow(1 / x, -y) }
            return y < 0 ? 0 : .infinity
        }
        if y == 0.5 { return x.squareRoot() }
        if y == -0.5 { return 1 / x.squareRoot() }

        var yi = Swift.abs(y).rounded(.towardZero)
        var yf = Swift.abs(y) - yi
        if yf != 0 && x < 0 { return .nan }
        if yi >= 0x1p63 {
            // A huge even integer: overflow or underflow for every x but -1.
            if x == -1 { return 1 }
            return (Swift.abs(x) < 1) == (y > 0) ? 0 : .infinity
        }
        // The answer is a1 × 2^ae.
        var a1 = 1.0
        var ae = 0
        if yf != 0 {
            if yf > 0.5 {
                yf -= 1
                yi += 1
            }
            a1 = exp(yf * log(x))
        }
        var (x1, xe) = frexp(x)
        var i = Int64(yi)
        while i != 0 {
            if xe < -(1 << 12) || (1 << 12) < xe {
                // Catastrophic overflow: Go stops here and lets ldexp saturate.
                ae &+= xe
                break
            }
            if i & 1 == 1 {
                a1 *= x1
                ae &+= xe
            }
            x1 *= x1
            xe <<= 1
            if x1 < 0.5 {
                x1 += x1
                xe -= 1
            }
            i >>= 1
        }
        if y < 0 {
            a1 = 1 / a1
            ae = -ae
        }
        return ldexp(a1, ae)
    }

    private static func isOddInteger(_ x: Double) -> Bool {
        if Swift.abs(x) >= 0x1p53 { return false }
        let whole = x.rounded(.towardZero)
        return whole == x && Int64(whole) & 1 == 1
    }

    /// Go's `math.Ldexp`: `fraction` × 2^exponent, rounded once when the result is subnormal.
    static func ldexp(_ fraction: Double, _ exponent: Int) -> Double {
        if fraction == 0 || !fraction.isFinite { return fraction }
        var (value, exp) = (fraction, exponent)
        if Swift.abs(value) < .leastNormalMagnitude {
            value *= 0x1p52
            exp &-= 52
        }
        var bits = value.bitPattern
        exp &+= Int((bits >> 52) & 0x7FF) - 1023
        if exp < -1075 { return value < 0 ? -0.0 : 0 }
        if exp > 1023 { return value < 0 ? -.infinity : .infinity }
        var scale = 1.0
        if exp < -1022 {
            exp += 53
            scale = 0x1p-53
        }
        bits &= ~(UInt64(0x7FF) << 52)
        bits |= UInt64(exp + 1023) << 52
        return scale * Double(bitPattern: bits)
    }
}

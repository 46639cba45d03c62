/// Go's `math.Sin`, `math.Cos` and `math.Tan` (pure Go on amd64: Cephes polynomials after reduction by π/4
/// in three parts, Payne–Hanek reduction from 2^29 up), which Prometheus's `sin`, `cos` and `tan` call.
/// The C library's functions are correctly rounded more often and differ in the last bit for some inputs.
extension GoMath {
    private static let sinCoefficients: [Double] = [
        1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
        -1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1,
    ]
    private static let cosCoefficients: [Double] = [
        -1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
        2.48015872888517045348e-5, -1.38888888888730564116e-3, 4.16666666666665929218e-2,
    ]
    private static let tanP: [Double] = [
        -1.30936939181383777646e4, 1.15351664838587416140e6, -1.79565251976484877988e7,
    ]
    private static let tanQ: [Double] = [
        1.0, 1.36812963470692954678e4, -1.32089234440210967447e6, 2.50083801823357915839e7,
        -5.38695755929454629881e7,
    ]
    // π/4 in three parts, and Go's constant 4/π (rounded once, not 4 divided by a rounded π).
    private static let pi4A = 7.85398125648498535156e-1
    private static let pi4B = 3.77489470793079817668e-8
    private static let pi4C = 2.69515142907905952645e-15
    private static let fourOverPi = Double(bitPattern: 0x3FF4_5F30_6DC9_C883)
    /// Above this Go reduces by Payne–Hanek.
    private static let reduceThreshold: Double = 0x1p29

    /// The octant and the reduced argument of a positive `x`, as Go's `sin`/`cos`/`tan` compute them.
    private static func reduce(_ x: Double) -> (octant: UInt64, z: Double) {
        if x >= reduceThreshold { return trigReduce(x) }
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

    /// Go's `math.Sin`.
    static func sin(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x.isInfinite { return .nan }
        var sign = x < 0
        var (j, z) = reduce(Swift.abs(x))
        if j > 3 {
            sign.toggle()
            j -= 4
        }
        let zz = z * z
        let y = j == 1 || j == 2 ? cosPolynomial(zz) : sinPolynomial(z, zz)
        return sign ? -y : y
    }

    /// Go's `math.Cos`.
    static func cos(_ x: Double) -> Double {
        if x.isNaN || x.isInfinite { return .nan }
        var sign = false
        var (j, z) = reduce(Swift.abs(x))
        if j > 3 {
            j -= 4
            sign.toggle()
        }
        if j > 1 { sign.toggle() }
        let zz = z * z
        let y = j == 1 || j == 2 ? sinPolynomial(z, zz) : cosPolynomial(zz)
        return sign ? -y : y
    }

    /// Go's `math.Tan`.
    static func tan(_ x: Double) -> Double {
        if x == 0 || x.isNaN { return x }
        if x.isInfinite { return .nan }
        let sign = x < 0
        let magnitude = Swift.abs(x)
        var j: UInt64
        var z: Double
        if magnitude >= reduceThreshold {
            (j, z) = trigReduce(magnitude)
        } else {
            // Unlike sin and cos, tan keeps the octant unmasked; only its second bit is read.
            j = UInt64(magnitude * fourOverPi)
            var y = Double(j)
            if j & 1 == 1 {
                j += 1
                y += 1
            }
            z = ((magnitude - y * pi4A) - y * pi4B) - y * pi4C
        }
        let zz = z * z
        var y = z
        if zz > 1e-14 {
            let numerator = zz * (((tanP[0] * zz) + tanP[1]) * zz + tanP[2])
            let denominator = (((zz + tanQ[1]) * zz + tanQ[2]) * zz + tanQ[3]) * zz + tanQ[4]
            y = z + z * (numerator / denominator)
        }
        if j & 2 == 2 { y = -1 / y }
        return sign ? -y : y
    }

    /// 4/π in binary, 64 bits a digit after a leading one: 4/π = Σ digit[i] × 2^(-64 i).
    private static let fourOverPiDigits: [UInt64] = [
        0x0000_0000_0000_0001, 0x45F3_06DC_9C88_2A53, 0xF84E_AFA3_EA69_BB81, 0xB6C5_2B32_7887_2083,
        0xFCA2_C757_BD77_8AC3, 0x6E48_DC74_849B_A5C0, 0x0C92_5DD4_13A3_2439, 0xFC3B_D639_6253_4E7D,
        0xD104_6BEA_5D76_8909, 0xD338_E04D_68BE_FC82, 0x7323_AC73_06A6_73E9, 0x3908_BF17_7BF2_5076,
        0x3FF1_2FFF_BC0B_301F, 0xDE5E_2316_B414_DA3E, 0xDA6C_FD9E_4F96_136E, 0x9E8C_7ECD_3CBF_D45A,
        0xEA4F_758F_D7CB_E2F6, 0x7A0E_73EF_14A5_25D4, 0xD7F6_BF62_3F1A_BA10, 0xAC06_608D_F8F6_D757,
    ]

    /// Go's `trigReduce`: Payne–Hanek reduction of a positive `x` by π/4 with 64-bit integer arithmetic.
    private static func trigReduce(_ x: Double) -> (UInt64, Double) {
        let pi4 = Double.pi / 4
        if x < pi4 { return (0, x) }
        var ix = x.bitPattern
        let exponent = Int((ix >> 52) & 0x7FF) - 1023 - 52
        ix &= ~(UInt64(0x7FF) << 52)
        ix |= 1 << 52
        let digit = (exponent + 61) / 64
        let shift = UInt64((exponent + 61) % 64)
        let d = fourOverPiDigits
        // A shift by 64 is 0 in Go; Swift's masking shift would not be, so it is spelled out.
        func joined(_ a: UInt64, _ b: UInt64) -> UInt64 { shift == 0 ? a : (a << shift) | (b >> (64 - shift)) }
        let z0 = joined(d[digit], d[digit + 1])
        let z1 = joined(d[digit + 1], d[digit + 2])
        let z2 = joined(d[digit + 2], d[digit + 3])
        let z2hi = z2.multipliedFullWidth(by: ix).high
        let (z1hi, z1lo) = z1.multipliedFullWidth(by: ix)
        let z0lo = z0 &* ix
        let (lo, carry) = z1lo.addingReportingOverflow(z2hi)
        var hi = z0lo &+ z1hi &+ (carry ? 1 : 0)
        var j = hi >> 61
        hi = hi << 3 | lo >> 61
        let leading = hi.leadingZeroBitCount
        let e = UInt64(truncatingIfNeeded: 1023 - (leading + 1))
        // Go's shifts by 64 or more give 0 (and its unsigned 64 - 65 is such a shift).
        func left(_ value: UInt64, _ amount: Int) -> UInt64 { amount >= 64 ? 0 : value << UInt64(amount) }
        func right(_ value: UInt64, _ amount: Int) -> UInt64 {
            amount < 0 || amount >= 64 ? 0 : value >> UInt64(amount)
        }
        hi = left(hi, leading + 1) | right(lo, 64 - (leading + 1))
        hi >>= 64 - 52
        hi |= e << 52
        var z = Double(bitPattern: hi)
        if j & 1 == 1 {
            j = (j + 1) & 7
            z -= 1
        }
        return (j, z * pi4)
    }
}

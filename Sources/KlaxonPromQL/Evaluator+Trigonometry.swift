import Foundation

// MARK: - Trigonometric functions, deg and rad

extension Evaluator {
    /// The element-wise function for `sin` … `atanh`, `deg` and `rad`: Go's own functions
    /// (`GoMath`), bit for bit as Prometheus computes them.
    static func trigonometry(_ function: Function) -> (Double) -> Double {
        switch function {
        case .sin: { GoMath.sin($0) }
        case .cos: { GoMath.cos($0) }
        case .tan: { GoMath.tan($0) }
        case .asin: { GoMath.asin($0) }
        case .acos: { GoMath.acos($0) }
        case .atan: { GoMath.atan($0) }
        case .sinh: { GoMath.sinh($0) }
        case .cosh: { GoMath.cosh($0) }
        case .tanh: { GoMath.tanh($0) }
        case .asinh: { GoMath.asinh($0) }
        case .acosh: { GoMath.acosh($0) }
        case .atanh: { GoMath.atanh($0) }
        // Prometheus multiplies first, then divides: `v * 180 / math.Pi`, `v * math.Pi / 180`.
        case .deg: { $0 * 180 / Double.pi }
        default: { $0 * Double.pi / 180 }
        }
    }
}

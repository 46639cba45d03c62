import Foundation

// MARK: - Trigonometric functions, deg and rad

extension Evaluator {
    /// The element-wise function for `sin` … `atanh`, `deg` and `rad`. The circular functions and their
    /// inverses are Go's own (`sin`, `cos`, `tan` up to 2^29), `asinh` and `acosh` Go's around the C
    /// library's `log1p`; `sinh`, `cosh`, `tanh` and `atanh` are the C library's, which may round the last
    /// bit differently from Go's (Go's hyperbolic functions are built on its `Exp`).
    static func trigonometry(_ function: Function) -> (Double) -> Double {
        switch function {
        case .sin: { GoTrigonometry.sin($0) }
        case .cos: { GoTrigonometry.cos($0) }
        case .tan: { GoTrigonometry.tan($0) }
        case .asin: { GoTrigonometry.asin($0) }
        case .acos: { GoTrigonometry.acos($0) }
        case .atan: { GoTrigonometry.atan($0) }
        case .sinh: { GoTrigonometry.sinh($0) }
        case .cosh: { Foundation.cosh($0) }
        case .tanh: { GoTrigonometry.tanh($0) }
        case .asinh: { GoTrigonometry.asinh($0) }
        case .acosh: { GoTrigonometry.acosh($0) }
        case .atanh: { Foundation.atanh($0) }
        // Prometheus multiplies first, then divides: `v * 180 / math.Pi`, `v * math.Pi / 180`.
        case .deg: { $0 * 180 / Double.pi }
        default: { $0 * Double.pi / 180 }
        }
    }
}

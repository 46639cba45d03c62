import Foundation

// MARK: - Trigonometric functions, deg and rad

extension Evaluator {
    /// The element-wise function for `sin` … `atanh`, `deg` and `rad`. `asin`, `acos` and `atan` are Go's
    /// own; the others are the C library's, which may round the last bit differently from Go's.
    static func trigonometry(_ function: Function) -> (Double) -> Double {
        switch function {
        case .sin: { Foundation.sin($0) }
        case .cos: { Foundation.cos($0) }
        case .tan: { Foundation.tan($0) }
        case .asin: { GoTrigonometry.asin($0) }
        case .acos: { GoTrigonometry.acos($0) }
        case .atan: { GoTrigonometry.atan($0) }
        case .sinh: { Foundation.sinh($0) }
        case .cosh: { Foundation.cosh($0) }
        case .tanh: { Foundation.tanh($0) }
        case .asinh: { Foundation.asinh($0) }
        case .acosh: { Foundation.acosh($0) }
        case .atanh: { Foundation.atanh($0) }
        // Prometheus multiplies first, then divides: `v * 180 / math.Pi`, `v * math.Pi / 180`.
        case .deg: { $0 * 180 / Double.pi }
        default: { $0 * Double.pi / 180 }
        }
    }
}

import KlaxonMetrics

/// A parsed PromQL expression; `description` prints it back as PromQL.
package indirect enum Expr: Sendable, Equatable {
    /// A float literal such as `1`, `0x1f`, `Inf`.
    case number(Double)
    /// A string literal.
    case string(String)
    /// An instant vector selector such as `up{job="api"} offset 5m`.
    case vectorSelector(VectorSelector)
    /// A range vector selector such as `http_requests_total[5m]`; `range` is in milliseconds.
    case matrixSelector(VectorSelector, range: Int64)
    /// `-expr` (a unary plus is dropped while parsing).
    case negation(Expr)
    /// `lhs op rhs` with its modifiers.
    case binary(BinaryExpr)
    /// `sum by (job) (expr)` and the other aggregation operators.
    case aggregate(AggregateExpr)
    /// `rate(x[5m])` and the other functions.
    case call(FunctionCall)
    /// `(expr)`, kept so the expression prints back as written.
    case paren(Expr)
    /// `expr[range:step]`: the inner instant-vector expression evaluated at aligned steps over a range.
    case subquery(SubqueryExpr)

    /// The type the expression evaluates to.
    package var type: ValueType {
        switch self {
        case .number: .scalar
        case .string: .string
        case .vectorSelector: .vector
        case .matrixSelector, .subquery: .matrix
        case .negation(let inner), .paren(let inner): inner.type
        case .binary(let binary): binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .aggregate: .vector
        case .call(let call): call.function.returnType
        }
    }
}

/// The four PromQL value types, named as Prometheus names them in messages.
package enum ValueType: String, Sendable, Equatable {
    case scalar = "scalar"
    case vector = "instant vector"
    case matrix = "range vector"
    case string = "string"
}

/// A series selector: the metric name (if written before the braces), its matchers and offset.
package struct VectorSelector: Sendable, Equatable {
    /// The metric name written before the braces, if any; also present as a `__name__` matcher.
    package var name: String?
    /// All matchers, including `__name__="name"` when a name was written.
    package var matchers: [LabelMatcher]
    /// How far back to shift evaluation, in milliseconds; negative looks forward.
    package var offset: Int64
    /// The `@` modifier: the selector reads at this time instead of the evaluation time.
    package var at: AtModifier? = nil
}

/// The time an `@` modifier fixes: a Unix time in milliseconds, or the query's start or end.
package enum AtModifier: Sendable, Equatable {
    case timestamp(Int64)
    case start
    case end
}

/// `expr[range:step] @ t offset o`; all durations in milliseconds.
package struct SubqueryExpr: Sendable, Equatable {
    /// The inner expression, an instant vector.
    package var expr: Expr
    package var range: Int64
    /// The resolution; nil takes the evaluator's default (the global evaluation interval).
    package var step: Int64?
    package var offset: Int64
    package var at: AtModifier?
}

/// Binary operators, by precedence group.
package enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case power = "^"
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case less = "<"
    case greaterOrEqual = ">="
    case lessOrEqual = "<="
    case and, or, unless
    case atan2

    /// True for `== != > < >= <=`.
    package var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: true
        default: false
        }
    }

    /// True for the arithmetic operators whose result loses the metric name (not `atan2`, as in Prometheus).
    package var dropsMetricName: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo, .power: true
        default: false
        }
    }

    /// True for `and or unless`.
    package var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Binding strength; higher binds tighter.
    var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: 3
        case .add, .subtract: 4
        case .multiply, .divide, .modulo, .atan2: 5
        case .power: 6
        }
    }
}

/// How two instant vectors are matched in a binary operation.
package struct VectorMatching: Sendable, Equatable {
    /// Which side may have many elements per match group.
    package enum Cardinality: Sendable, Equatable {
        case oneToOne, manyToOne, oneToMany, manyToMany
    }

    package var cardinality: Cardinality
    /// True for `on(...)`, false for `ignoring(...)` (or no clause).
    package var on: Bool
    /// The labels listed in `on(...)` or `ignoring(...)`.
    package var labels: [String]
    /// The labels listed in `group_left(...)`/`group_right(...)`.
    package var include: [String]
    /// True when `on`/`ignoring` was written, for printing.
    package var explicit: Bool
}

/// `lhs op rhs`.
package struct BinaryExpr: Sendable, Equatable {
    package var op: BinaryOperator
    package var lhs: Expr
    package var rhs: Expr
    /// `bool` after a comparison: return 0/1 instead of filtering.
    package var returnBool: Bool
    /// Present when both sides are instant vectors.
    package var matching: VectorMatching?
}

/// Aggregation operators.
package enum AggregateOperator: String, Sendable, CaseIterable {
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"

    /// The type of the parameter before the body, if the operator takes one.
    var parameterType: ValueType? {
        switch self {
        case .topk, .bottomk, .quantile: .scalar
        case .countValues: .string
        default: nil
        }
    }
}

/// `op by (labels) (param, body)`.
package struct AggregateExpr: Sendable, Equatable {
    package var op: AggregateOperator
    package var parameter: Expr?
    package var body: Expr
    /// Labels in `by (...)` or `without (...)`.
    package var grouping: [String]
    /// True for `without`.
    package var without: Bool
    /// True when a `by`/`without` clause was written, for printing `by ()`.
    package var hasGrouping: Bool
}

/// `function(args...)`.
package struct FunctionCall: Sendable, Equatable {
    package var function: Function
    package var args: [Expr]
}

/// Command-line options of `render`: `--rounds N`, `--repetitions N`, `--parse-repetitions N`.
struct RenderOptions {
    /// Rounds in which Klaxon and swift-prometheus take turns.
    var rounds = 7
    /// Timed runs of each contender per round.
    var repetitions = 30
    /// Timed parses of the body.
    var parseRepetitions = 30

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let text = iterator.next(), let value = Int(text), value > 0 else { break }
            switch flag {
            case "--rounds": rounds = value
            case "--repetitions": repetitions = value
            case "--parse-repetitions": parseRepetitions = value
            default: break
            }
        }
    }
}

import KlaxonMetrics
import Testing

@Suite struct MetricRegistryTests {
    typealias F = Fixtures

    static func registry() throws -> MetricRegistry {
        let registry = MetricRegistry()
        let pushes = try registry.counter("klaxon_pushes_total", help: "Push requests handled.", labelNames: ["result"])
        pushes.labels("ok").increment(by: 3)
        pushes.labels("refused").increment()
        try registry.gauge("klaxon_series", help: "Live series.").labels().set(2)
        let render = try registry.histogram("klaxon_render_seconds", help: "Render time.", buckets: [0.01, 0.001])
        render.labels().observe(0.0005)
        render.labels().observe(0.005)
        render.labels().observe(1)
        return registry
    }

    @Test func rendersSelfMetricsMergedWithTheStore() throws {
        let store = SeriesStore()
        try store.replace(
            owner: F.job, with: [F.gauge("engine_up", help: "Engine is up.", F.sample("engine_up", 1))], now: 0)
        let text = String(decoding: try Self.registry().render(with: store, format: .text), as: UTF8.self)
        #expect(
            text == """
                # HELP engine_up Engine is up.
                # TYPE engine_up gauge
                engine_up 1
                # HELP klaxon_pushes_total Push requests handled.
                # TYPE klaxon_pushes_total counter
                klaxon_pushes_total{result="ok"} 3
                klaxon_pushes_total{result="refused"} 1
                # HELP klaxon_render_seconds Render time.
                # TYPE klaxon_render_seconds histogram
                klaxon_render_seconds_bucket{le="0.001"} 1
                klaxon_render_seconds_bucket{le="0.01"} 2
                klaxon_render_seconds_bucket{le="+Inf"} 3
                klaxon_render_seconds_sum 1.0055
                klaxon_render_seconds_count 3
                # HELP klaxon_series Live series.
                # TYPE klaxon_series gauge
                klaxon_series 2

                """)
    }

    @Test(arguments: ExpositionFormat.allCases)
    func storeTextIsSplicedByNameAndFollowsEveryChange(format: ExpositionFormat) throws {
        let registry = try Self.registry()
        let store = SeriesStore()
        // Expected: the self-metrics' and the store's snapshots merged, rendered from scratch, without
        // the stored families named as a self-metric.
        let expected = {
            var stored = store.snapshot()
            let own = Set(registry.families.map(\.name))
            stored.families.removeAll { own.contains($0.name) }
            return ExpositionWriter.render(registry.snapshot().merged(with: stored), format: format)
        }
        let rendered = { registry.render(with: store, format: format) }
        #expect(rendered() == expected())
        try store.replace(
            owner: F.job,
            with: [
                F.gauge("a", F.sample("a", 1)), F.gauge("klaxon_series", help: "Stored.", F.sample("klaxon_series", 7)),
                F.gauge("klaxon_q", F.sample("klaxon_q", 2)), F.gauge("z", F.sample("z", 3)),
            ], now: 1_000)
        let first = rendered()
        #expect(first == expected())
        // A stored family named as a self-metric (its recorded copy) is left out; one named as no
        // self-metric stays.
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("# HELP klaxon_series Live series."))
        #expect(!text.contains("Stored."))
        #expect(text.contains("\nklaxon_q 2"))
        #expect(rendered() == first)
        try store.replace(
            owner: F.job, with: [F.gauge("a", F.sample("a", 4)), F.gauge("z", F.sample("z", 5))], now: 2_000)
        #expect(rendered() == expected())
        #expect(String(decoding: rendered(), as: UTF8.self).contains("\na 4"))
        store.delete(owner: F.job, now: 3_000)
        #expect(rendered() == expected())
        #expect(!String(decoding: rendered(), as: UTF8.self).contains("\na "))
    }

    @Test func openMetricsNamesTheCounterFamilyWithoutTotal() throws {
        let text = String(decoding: try Self.registry().render(with: nil, format: .openMetrics), as: UTF8.self)
        #expect(text.contains("# TYPE klaxon_pushes counter\nklaxon_pushes_total{result=\"ok\"} 3.0\n"))
        #expect(text.hasSuffix("klaxon_series 2.0\n# EOF\n"))
    }

    @Test func registeringAgainReturnsTheSameFamilyAndAnotherTypeIsRefused() throws {
        let registry = MetricRegistry()
        let first = try registry.gauge("klaxon_x", help: "x")
        let second = try registry.gauge("klaxon_x", help: "x")
        #expect(first === second)
        #expect(throws: MetricRegistryError.self) { try registry.counter("klaxon_x", help: "x") }
        #expect(throws: MetricRegistryError.self) { try registry.gauge("bad name", help: "x") }
    }

    @Test func concurrentIncrementsAreAllCounted() async throws {
        let counter = try MetricRegistry().counter("klaxon_events_total", help: "Events.").labels()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<10_000 { counter.increment() } }
            }
        }
        #expect(counter.value == 80_000)
    }

    @Test func gaugeGoesBothWaysAndCounterNeverDown() throws {
        let registry = MetricRegistry()
        let gauge = try registry.gauge("klaxon_g", help: "g").labels()
        gauge.add(5)
        gauge.add(-7)
        #expect(gauge.value == -2)
        let counter = try registry.counter("klaxon_c_total", help: "c").labels()
        counter.increment(by: 2)
        counter.increment(by: -1)
        #expect(counter.value == 2)
    }
}

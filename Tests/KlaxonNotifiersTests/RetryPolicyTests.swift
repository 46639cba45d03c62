import KlaxonConfig
import KlaxonNotifiers
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test(
        arguments: [(1, 500), (2, 750), (3, 1125), (4, 1687), (11, 28_832), (13, 60_000), (1000, 60_000)]
            as [(Int, Int64)])
    func ceilingGrowsByHalfUpToAMinute(_ attempt: Int, _ expected: Int64) {
        #expect(policy.ceiling(afterAttempt: attempt) == expected)
    }

    @Test func fullJitterPicksAShareOfTheCeiling() {
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0) == 0)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0.5) == 562)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0.999_999) == 1124)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: .nan) == 0)
    }

    @Test func retryAfterIsHonouredEvenAboveTheCap() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: 90_000, random: 0.1) == 90_000)
    }

    @Test func givesUpOnceMaxDeliveryAgeHasPassed() {
        let day: Int64 = 86_400_000
        #expect(policy.nextAttempt(createdAt: 0, now: 1000, attempt: 1, retryAfter: nil, random: 1) == 1500)
        #expect(policy.nextAttempt(createdAt: 0, now: day - 10, attempt: 50, retryAfter: nil, random: 1) == day)
        #expect(policy.nextAttempt(createdAt: 0, now: day, attempt: 51, retryAfter: nil, random: 0) == nil)
        #expect(policy.nextAttempt(createdAt: .max - 5, now: .max - 1, attempt: 1, retryAfter: .max, random: 0) == .max)
    }
}

@Suite struct ReceiverHealthTests {
    @Test func threeFailuresInARowMakeAReceiverFailingAndASuccessRecoversIt() {
        var health = ReceiverHealth()
        #expect(health.recordFailure(receiver: "tg", error: "e1", at: 0) == nil)
        #expect(health.recordFailure(receiver: "tg", error: "e2", at: 1000) == nil)
        #expect(
            health.recordFailure(receiver: "tg", error: "e3", at: 2000)
                == .failing(receiver: "tg", since: 0, lastError: "e3"))
        #expect(health.recordFailure(receiver: "tg", error: "e4", at: 3000) == nil)
        #expect(health.failingReceivers == ["tg"])
        #expect(health.recordSuccess(receiver: "tg", at: 4000) == .recovered(receiver: "tg"))
        #expect(health.failingReceivers.isEmpty)
        #expect(health.recordSuccess(receiver: "tg", at: 5000) == nil)
    }

    @Test func aSuccessResetsTheCount() {
        var health = ReceiverHealth()
        _ = health.recordFailure(receiver: "tg", error: "e", at: 0)
        _ = health.recordFailure(receiver: "tg", error: "e", at: 1)
        #expect(health.recordSuccess(receiver: "tg", at: 2) == nil)
        #expect(health.recordFailure(receiver: "tg", error: "e", at: 3) == nil)
    }

    @Test func failuresLastingAMinuteAreFailingWithoutAThirdAttempt() {
        var health = ReceiverHealth()
        _ = health.recordFailure(receiver: "slack", error: "timeout", at: 0)
        #expect(health.check(at: 59_999).isEmpty)
        #expect(health.check(at: 60_000) == [.failing(receiver: "slack", since: 0, lastError: "timeout")])
        #expect(health.check(at: 70_000).isEmpty)
    }
}

@Suite struct ConfiguredReceiversTests {
    @Test func everyReceiverGetsItsNotifierPolicyAndThresholdsAndTheLogIsAlwaysThere() throws {
        var telegram = ReceiverConfiguration(
            name: "tg", kind: .telegram(.init(botToken: "1:a", chatID: "5", apiURL: "http://127.0.0.1:1")))
        telegram.fallback = ["hook"]
        telegram.maxDeliveryAgeMilliseconds = 3_600_000
        telegram.failingAfterFailures = 1
        let hook = ReceiverConfiguration(name: "hook", kind: .webhook(url: "http://127.0.0.1:2/x", maxAlerts: 0))
        let configured = ConfiguredReceivers([telegram, hook], transport: URLSessionTransport(), logger: .disabled)
        #expect(configured.notifiers.map(\.receiver) == ["tg", "hook", "log"])
        #expect(configured.fallbacks == ["tg": ["hook"]])
        #expect(configured.policies["tg"]?.maxDeliveryAgeMilliseconds == 3_600_000)
        #expect(configured.policies["hook"]?.maxDeliveryAgeMilliseconds == 86_400_000)
        var health = configured.health
        #expect(
            health.recordFailure(receiver: "tg", error: "e", at: 0)
                == .failing(receiver: "tg", since: 0, lastError: "e"))
        #expect(health.recordFailure(receiver: "hook", error: "e", at: 0) == nil)
    }
}

import LTXAPI
import Testing

@Suite("Poll plans from observed latencies")
struct PollPlanTests {
    @Test func nothingKnownFallsBackToTheDocumentedFiveSeconds() {
        let plan = PollPlan.make(observed: [], catalogLatency: nil, polling: 1, requestsPerSecond: 10)
        #expect(plan == PollPlan(first: 5, interval: 5, basis: "documented"))
    }

    @Test func observedLatenciesWinOverTheCatalogOnceThereAreEnough() {
        let few = PollPlan.make(observed: [9, 9], catalogLatency: (5, 15), polling: 1, requestsPerSecond: 10)
        #expect(few.basis == "catalog" && few.first == 5 && few.interval == 2.5)
        let latencies = (0..<11).map { 2.5 + Double($0) * 0.5 }   // 2.5 ... 7.5 s
        let plan = PollPlan.make(observed: latencies, catalogLatency: (30, 90), polling: 2, requestsPerSecond: 10)
        #expect(plan.basis == "observed")
        #expect(abs(plan.first - 3.0) < 1e-9, "first poll at the fast end (10th percentile)")
        #expect(abs(plan.interval - 1.0) < 1e-9, "then a quarter of the 10th–90th percentile spread")
        let tighter = PollPlan.make(observed: latencies, catalogLatency: nil, polling: 2, requestsPerSecond: 100.0 / 60)
        #expect(tighter.basis == "observed, rate-bound" && abs(tighter.interval - 1.2) < 1e-9)
        #expect(tighter.first > 3 && tighter.first < 4, "a little later when the rate binds a little")
    }

    @Test func neverCloserThanOneSecond() {
        let plan = PollPlan.make(observed: [0.1, 0.1, 0.1, 0.1], catalogLatency: nil, polling: 1, requestsPerSecond: 1000)
        #expect(plan.first == 1 && plan.interval == 1)
    }

    @Test func whenTheRequestRateBindsTheFirstPollWaitsForTheSlowEnd() {
        let latencies = (0..<11).map { 2.5 + Double($0) * 0.5 }
        let plan = PollPlan.make(observed: latencies, catalogLatency: nil, polling: 50, requestsPerSecond: 10)
        #expect(plan.basis == "observed, rate-bound")
        #expect(abs(plan.first - 7.0) < 1e-9)
        #expect(plan.interval == 5, "50 generations sharing 10 requests a second: each polled at most every 5 s")
    }
}

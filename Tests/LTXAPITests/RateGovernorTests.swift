import LTXAPI
import LTXCore
import Testing

/// The governor on a hand-driven clock: waits are asserted in nominal seconds, none of them really slept.
@Suite("Rate governor on a manual clock")
struct RateGovernorTests {
    @Test func aFullWindowWaitsUntilItsOldestRequestLeavesIt() async throws {
        let time = ManualTime(autoAdvance: false)
        let clock = PipelineClock(manual: time)
        let governor = RateGovernor(limits: .init(inFlight: 10, requestsPerWindow: 2, windowSeconds: 60), clock: clock)
        try await governor.acquire()
        await governor.release()
        time.advance(by: 5)
        try await governor.acquire()
        await governor.release()
        let third = Task { try await governor.acquire(); return clock.now() }
        while time.sleeps.isEmpty { await Task.yield() }
        #expect(time.sleeps == [55], "the first request leaves the window 60 s after its response at t=0")
        time.advance(by: 55)
        #expect(try await third.value == 60)
    }

    @Test func requestsInFlightNeverExceedTheLimit() async throws {
        let time = ManualTime(autoAdvance: false)
        let governor = RateGovernor(limits: .init(inFlight: 2, requestsPerWindow: 100, windowSeconds: 60), clock: PipelineClock(manual: time))
        try await governor.acquire()
        try await governor.acquire()
        let third = Task { try await governor.acquire(); return true }
        for _ in 0..<100 { await Task.yield() }
        await governor.release()
        #expect(try await third.value)
        #expect(time.sleeps.isEmpty)
    }

    @Test func a429PausesEveryRequestForItsRetryAfter() async throws {
        let time = ManualTime(autoAdvance: false)
        let clock = PipelineClock(manual: time)
        let governor = RateGovernor(limits: .standard, clock: clock)
        await governor.pause(for: 30)
        let next = Task { try await governor.acquire(); return clock.now() }
        while time.sleeps.isEmpty { await Task.yield() }
        time.advance(by: 30)
        #expect(try await next.value == 30)
    }
}

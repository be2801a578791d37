import Hummingbird

/// The simulator's own endpoints under `/_simulator` (no authentication, never counted or limited).
enum ControlRoutes {
    static func add(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        router.get("/_simulator/stats") { _, _ -> Response in
            try WireJSON.response(await environment.state.stats())
        }
    }
}

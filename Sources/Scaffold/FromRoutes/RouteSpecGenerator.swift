import BackendCore

/// `generate_spec`: Express, Fastify or Koa route registrations -> an OpenAPI 3.1 document.
struct RouteSpecGenerator {
    let request: ScaffoldRequest

    func run(folder: String) throws(BackendError) -> ScaffoldResult {
        throw BackendError.invalidInput("generate_spec is being built in this change")
    }
}

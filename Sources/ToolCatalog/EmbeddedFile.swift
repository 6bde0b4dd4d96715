/// A file of `schemas/`, `references/` or `agents/`, compiled into the binary byte for byte.
public struct EmbeddedFile: Sendable {
    /// Path relative to the package root, e.g. `schemas/route_to_specialist.input.json`.
    public let path: String
    public let bytes: [UInt8]

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Every embedded file; a test checks this list against the folders on disk.
    public static let all: [EmbeddedFile] = [
        .init(path: "schemas/route_to_specialist.input.json", bytes: PackageResources.route_to_specialist_input_json),
        .init(path: "schemas/route_to_specialist.output.json", bytes: PackageResources.route_to_specialist_output_json),
        .init(path: "schemas/decide_profile.input.json", bytes: PackageResources.decide_profile_input_json),
        .init(path: "schemas/decide_profile.output.json", bytes: PackageResources.decide_profile_output_json),
        .init(path: "schemas/grill_next_question.input.json", bytes: PackageResources.grill_next_question_input_json),
        .init(path: "schemas/grill_next_question.output.json", bytes: PackageResources.grill_next_question_output_json),
        .init(path: "schemas/analyze_schema.input.json", bytes: PackageResources.analyze_schema_input_json),
        .init(path: "schemas/analyze_schema.output.json", bytes: PackageResources.analyze_schema_output_json),
        .init(path: "schemas/load_test.input.json", bytes: PackageResources.load_test_input_json),
        .init(path: "schemas/load_test.output.json", bytes: PackageResources.load_test_output_json),
        .init(path: "schemas/plan_migration.input.json", bytes: PackageResources.plan_migration_input_json),
        .init(path: "schemas/plan_migration.output.json", bytes: PackageResources.plan_migration_output_json),
        .init(path: "schemas/apply_migration.input.json", bytes: PackageResources.apply_migration_input_json),
        .init(path: "schemas/apply_migration.output.json", bytes: PackageResources.apply_migration_output_json),
        .init(path: "schemas/scaffold.input.json", bytes: PackageResources.scaffold_input_json),
        .init(path: "schemas/scaffold.output.json", bytes: PackageResources.scaffold_output_json),
        .init(path: "profiles/profile.schema.json", bytes: PackageResources.profile_schema_json),
        .init(path: "profiles/node-express.json", bytes: PackageResources.node_express_json),
        .init(path: "profiles/fastapi-python.json", bytes: PackageResources.fastapi_python_json),
        .init(path: "profiles/django-monolith.json", bytes: PackageResources.django_monolith_json),
        .init(path: "profiles/go-or-rust-microservice.json", bytes: PackageResources.go_or_rust_microservice_json),
        .init(path: "schemas/diagnostics.input.json", bytes: PackageResources.diagnostics_input_json),
        .init(path: "schemas/diagnostics.output.json", bytes: PackageResources.diagnostics_output_json),
        .init(path: "references/api_design_patterns.md", bytes: PackageResources.api_design_patterns_md),
        .init(path: "references/backend_security_practices.md", bytes: PackageResources.backend_security_practices_md),
        .init(path: "references/composition_map.md", bytes: PackageResources.composition_map_md),
        .init(
            path: "references/database_optimization_guide.md", bytes: PackageResources.database_optimization_guide_md),
        .init(path: "references/forcing_questions.md", bytes: PackageResources.forcing_questions_md),
        .init(path: "agents/cs-backend-engineer.md", bytes: PackageResources.cs_backend_engineer_md),
        .init(path: "agents/commands/cs-backend-review.md", bytes: PackageResources.cs_backend_review_md),
    ]

    public static func named(_ path: String) -> EmbeddedFile? { all.first { $0.path == path } }
}

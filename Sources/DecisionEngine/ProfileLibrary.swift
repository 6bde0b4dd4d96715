import BackendCore
import Foundation

/// The profiles in force: the built-ins, then a user folder's files, which add or replace by name.
///
/// A broken file is left out with a warning naming the file, the field and the reason; the others
/// still load.
public struct ProfileLibrary: Sendable {
    public private(set) var profiles: [Profile] = []
    public private(set) var warnings: [String] = []

    /// Environment variable naming a folder of extra profiles (like `--profiles-dir`).
    public static let environmentVariable = "SENIOR_BACKEND_PROFILES"

    /// - Parameters:
    ///   - builtIns: `(file name, bytes)` of the compiled-in profiles.
    ///   - schema: `profiles/profile.schema.json`, parsed.
    ///   - userDirectory: a folder of `*.json` profiles, or nil.
    public init(
        builtIns: [(file: String, bytes: [UInt8])], schema: JSONValue, userDirectory: String?
    ) throws(BackendError) {
        let validator = JSONSchemaValidator(schema: schema, rootName: "profile")
        for (file, bytes) in builtIns { add(file: file, bytes: bytes, validator: validator) }
        guard let userDirectory, !userDirectory.isEmpty else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: userDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw .invalidInput("profiles folder \(userDirectory) does not exist or is not a folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: userDirectory)
        } catch {
            throw .invalidInput("cannot read the profiles folder \(userDirectory): \(error.localizedDescription)")
        }
        for name in names.sorted() where name.hasSuffix(".json") && name != "profile.schema.json" {
            let path = (userDirectory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20 else {
                warnings.append("\(path): unreadable or larger than 1 MiB; skipped")
                continue
            }
            add(file: path, bytes: [UInt8](data), validator: validator)
        }
    }

    private mutating func add(file: String, bytes: [UInt8], validator: JSONSchemaValidator) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            warnings.append("\(file): \(error.description); skipped")
            return
        }
        let violations = validator.validate(document)
        if let first = violations.first {
            let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
            warnings.append("\(file): \(first.path) \(first.expected)\(more); skipped")
            return
        }
        let profile: Profile
        do {
            profile = try document.decode(as: Profile.self)
        } catch {
            warnings.append("\(file): does not decode as a profile: \(error); skipped")
            return
        }
        if let team = profile.constraints.teamSize, let low = team.min, let high = team.max, low > high {
            warnings.append("\(file): profile.constraints.team_size min \(low) is above max \(high); skipped")
            return
        }
        if let index = profiles.firstIndex(where: { $0.name == profile.name }) {
            profiles[index] = profile
            warnings.append("\(file): replaces the built-in profile \(profile.name)")
        } else {
            profiles.append(profile)
        }
    }
}

import BackendCore
import DecisionEngine
import Foundation
import GrillSession
import Testing
import ToolCatalog

/// A class so that each test's session folder is removed when the test ends (deinit).
@Suite final class GrillEngineTests {
    let directory: String
    let engine: GrillEngine

    init() throws {
        directory = NSTemporaryDirectory() + "grill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = try ToolCatalog.grillEngine(environment: [:])
        engine = GrillEngine(
            store: GrillStore(directory: directory), decider: base.decider, nextSpecialist: base.nextSpecialist,
            today: { "2026-11-25" })
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The answers of a small TypeScript team, one question at a time.
    static let walk: [(Int, @Sendable (inout DecideRequest) -> Void)] = [
        (
            1,
            {
                $0.qpsP99 = 50; $0.readWriteRatio = 20
            }
        ),
        (2, { $0.tenancy = .sharedMultiTenant }),
        (3, { $0.communicationStyle = .sync }),
        (4, { $0.dataSensitivity = .pii }),
        (
            5,
            {
                $0.pattern = .modularMonolith; $0.teamSize = 8; $0.platformTeam = false;
                $0.languagePreference = .typescript; $0.needsAdminPanel = false
            }
        ),
        (
            6,
            {
                $0.rpoMinutes = 60; $0.rtoMinutes = 240
            }
        ),
        (
            7,
            {
                $0.sloAvailability = 0.995; $0.sloP99Ms = 600; $0.errorBudgetOwner = "tech lead"
            }
        ),
    ]

    func answer(_ session: String, _ fill: (inout DecideRequest) -> Void, note: String? = nil) throws -> GrillResult {
        var answers = DecideRequest()
        fill(&answers)
        return try engine.handle(GrillRequest(session: session, note: note, answers: answers))
    }

    @Test func aFullWalkAsksOneQuestionPerCallAndEndsInARecommendation() throws {
        var result = try engine.handle(GrillRequest(session: "walk"))
        for (number, fill) in Self.walk {
            #expect(result.status == .asking)
            #expect(result.question?.number == number)
            result = try answer("walk", fill)
        }
        #expect(result.status == .complete)
        #expect(result.question == nil)
        #expect(result.decision?.recommendation?.profile == "node-express")
        #expect(result.nextSpecialist?.specialist == "slo-architect")
        let digest = result.digest.render()
        #expect(Digest.wordCount(digest) <= Digest.maxWords)
        for needle in [
            "node-express", "p50 80 ms", "p95 250 ms", "p99 600 ms", "uptime 99.5%", "RPO 60", "RTO 240", "tech lead",
            "slo-architect",
        ] {
            #expect(digest.contains(needle), "digest lacks \(needle):\n\(digest)")
        }
    }

    @Test func answersGivenUpFrontAreNotAskedAgain() throws {
        let result = try answer("upfront") {
            $0.qpsP99 = 50; $0.readWriteRatio = 20; $0.teamSize = 8; $0.dataSensitivity = .pii
        }
        #expect(result.question?.number == 2)
        #expect(result.answered == [1, 4])
        var next = try answer("upfront") {
            $0.tenancy = .sharedMultiTenant; $0.communicationStyle = .async
        }
        #expect(next.question?.number == 5)
        #expect(next.missingFields == ["pattern", "platform_team", "language_preference", "needs_admin_panel"])
        next = try engine.handle(GrillRequest(session: "upfront", action: .status))
        #expect(next.answered == [1, 2, 3, 4])
    }

    /// The answers (and free-text note) that trip question `question`'s kill criterion.
    static func tripping(_ question: Int) -> (fill: @Sendable (inout DecideRequest) -> Void, note: String?) {
        switch question {
        case 1: return ({ _ in }, "we'll need to scale")
        case 2:
            return (
                {
                    $0.tenancy = .singleTenant; $0.enterprisePricing = false
                }, nil
            )
        case 3:
            return (
                {
                    $0.communicationStyle = .eventDriven; $0.teamSize = 8
                }, nil
            )
        case 4:
            return (
                {
                    $0.dataSensitivity = .phi; $0.complianceOwner = ""; $0.encryptionAtRestPlan = true
                }, nil
            )
        case 5:
            return (
                {
                    $0.pattern = .microservices; $0.teamSize = 8
                }, nil
            )
        default:
            let earlier = walk.filter { $0.0 < question }.map(\.1)
            return (
                { answers in for fill in earlier { fill(&answers) } },
                question == 6 ? "we have backups" : "high availability"
            )
        }
    }

    @Test(arguments: 1...7)
    func aKillAtEachQuestionStopsTheSessionUntilTheAnswerChanges(question: Int) throws {
        let (fill, note) = Self.tripping(question)
        let session = "kill-\(question)"
        let stopped: GrillResult
        if let note {
            _ = try answer(session, fill)
            stopped = try answer(session, { _ in }, note: note)
        } else {
            stopped = try answer(session, fill)
        }
        #expect(stopped.status == GrillState.Status.stopped)
        #expect(stopped.kill?.question == question)
        #expect(stopped.digest.render().contains("stopped at Q\(question)"))
        // Changing the answer resumes the walk.
        let resumed = try answer(session) { answers in
            switch question {
            case 1: answers.qpsP99 = 40; answers.readWriteRatio = 5
            case 2: answers.enterprisePricing = true
            case 3: answers.communicationStyle = .sync
            case 4: answers.complianceOwner = "Dana"
            case 5: answers.pattern = .modularMonolith
            case 6: answers.rpoMinutes = 30; answers.rtoMinutes = 120
            default: answers.sloAvailability = 0.99; answers.sloP99Ms = 800; answers.errorBudgetOwner = "lead"
            }
        }
        #expect(resumed.status != .stopped, "\(String(describing: resumed.kill))")
    }

    @Test(arguments: ["../x", "", String(repeating: "a", count: 65), "a/b", "a b", "x\u{0}y", "é"])
    func hostileSessionIdsAreRefused(session: String) {
        #expect(throws: BackendError.self) { try engine.handle(GrillRequest(session: session)) }
    }

    @Test func theStateFileIsPrivateReadableAndParsedBack() throws {
        let result = try answer("file") {
            $0.qpsP99 = 50; $0.readWriteRatio = 20
        }
        #expect(result.stateFile == "\(directory)/backend-grill-2026-11-25-file.md")
        let attributes = try FileManager.default.attributesOfItem(atPath: result.stateFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: result.stateFile, encoding: .utf8)
        #expect(text.contains("## Q1. Load profile (answered)"))
        #expect(text.contains("- Answer: qps_p99 = 50, read_write_ratio = 20"))
        #expect(try engine.handle(GrillRequest(session: "file", action: .status)).answered == [1])
    }

    @Test(arguments: [
        ("{ \"session\": ", "line"),
        ("", "no '## State' section"),
    ])
    func aDamagedFileIsAClearErrorNotALoss(replacement: String, message: String) throws {
        let result = try answer("damaged") {
            $0.qpsP99 = 50; $0.readWriteRatio = 20
        }
        var text = try String(contentsOfFile: result.stateFile, encoding: .utf8)
        if replacement.isEmpty {
            text = text.replacingOccurrences(of: "## State", with: "## Stuff")
        } else {
            let start = try #require(text.range(of: "```json\n"))
            let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: replacement)
        }
        try text.write(toFile: result.stateFile, atomically: true, encoding: .utf8)
        let error = #expect(throws: BackendError.self) { try engine.handle(GrillRequest(session: "damaged")) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.message.contains("restart") == true)
    }

    @Test func twentySessionsInParallelLoseNothing() async throws {
        let engine = self.engine
        try await withThrowingTaskGroup(of: GrillResult.self) { group in
            for index in 0..<20 {
                group.addTask {
                    var result = try engine.handle(GrillRequest(session: "parallel-\(index)"))
                    for (_, fill) in Self.walk {
                        var answers = DecideRequest()
                        fill(&answers)
                        result = try engine.handle(GrillRequest(session: "parallel-\(index)", answers: answers))
                    }
                    return result
                }
            }
            var completed = 0
            for try await result in group where result.status == .complete { completed += 1 }
            #expect(completed == 20)
        }
    }

    @Test func tenConcurrentAnswersToOneSessionAllLand() async throws {
        let engine = self.engine
        let fills: [@Sendable (inout DecideRequest) -> Void] = [
            { $0.qpsP99 = 50 }, { $0.readWriteRatio = 20 }, { $0.tenancy = .sharedMultiTenant },
            { $0.communicationStyle = .sync }, { $0.dataSensitivity = .pii }, { $0.teamSize = 8 },
            { $0.pattern = .modularMonolith }, { $0.platformTeam = false }, { $0.languagePreference = .go },
            { $0.needsAdminPanel = false },
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for fill in fills {
                group.addTask {
                    var answers = DecideRequest()
                    fill(&answers)
                    _ = try engine.handle(GrillRequest(session: "one-session", answers: answers))
                }
            }
            try await group.waitForAll()
        }
        let status = try engine.handle(GrillRequest(session: "one-session", action: .status))
        #expect(status.answered == [1, 2, 3, 4, 5])
        #expect(status.question?.number == 6)
    }

    @Test func restartForgetsTheAnswers() throws {
        _ = try answer("again") {
            $0.qpsP99 = 50; $0.readWriteRatio = 20
        }
        let restarted = try engine.handle(GrillRequest(session: "again", action: .restart))
        #expect(restarted.answered.isEmpty)
        #expect(restarted.question?.number == 1)
    }
}

import BlastwallDelivery
import BlastwallTestSupport
import Foundation
import Testing

/// The command router runs a real program with the weights in its environment.
@Suite struct CommandRouterTests {
    /// A script that keeps the weights in a file, as a wrapper around kubectl or a cloud API would apply them.
    func script(in folder: TemporaryFolder, failing: Bool = false) throws -> String {
        let path = folder.path + "/weights.sh"
        try folder.write(
            "weights.sh",
            """
            #!/bin/sh
            \(failing ? "echo 'load balancer API said no' >&2; exit 3" : "")
            case "$BLASTWALL_ACTION" in
              set) echo "$BLASTWALL_SERVICE $BLASTWALL_CANARY_WEIGHT $BLASTWALL_STABLE_WEIGHT" > "\(folder.path)/state" ;;
              get) cut -d' ' -f2 "\(folder.path)/state" ;;
            esac

            """)
        chmod(path, 0o755)
        return path
    }

    @Test func weightsReachTheCommandAndAreReadBack() async throws {
        let folder = try TemporaryFolder("command-router")
        let router = CommandRouter(arguments: [try script(in: folder)], service: "checkout")
        try await router.setCanaryWeight(25)
        #expect(try String(contentsOfFile: folder.path + "/state", encoding: .utf8) == "checkout 25 75\n")
        #expect(try await router.canaryWeight() == 25)
        try await router.setCanaryWeight(0)
        #expect(try await router.canaryWeight() == 0)
    }

    @Test func aFailingCommandIsAClearError() async throws {
        let folder = try TemporaryFolder("command-router")
        let error = try await #require(throws: RouterError.self) {
            try await CommandRouter(arguments: [try script(in: folder, failing: true)], service: "checkout").setCanaryWeight(5)
        }
        #expect(error.description.contains("exited with"))
        #expect(error.description.contains("load balancer API said no"))
        let missing = try await #require(throws: RouterError.self) {
            try await CommandRouter(arguments: [folder.path + "/nothing.sh"], service: "checkout").setCanaryWeight(5)
        }
        #expect(missing.description.contains("cannot run"))
    }
}

import BlastwallCore
import Testing

@testable import CommandGuard

@Suite struct CommandClassifierTests {
    @Test func aNamespaceDeletionInProductionExplainsItself() {
        let result = GuardFixture.classify("kubectl delete namespace payments --context prod-eu")
        #expect(result.operation == .destructive)
        #expect(
            result.explanation
                == "kubectl delete namespace payments --context prod-eu: destructive (delete namespace payments: delete of a namespace) in prod (context prod-eu matches prod-*), service payments"
        )
    }

    @Test func lookAlikesOnlyRead() {
        for text in [#"grep "rm -rf" notes.md"#, "git log --grep=reset", #"echo "DROP TABLE users""#, "cat rm.txt"] {
            #expect(GuardFixture.classify(text).operation == .read, "\(text)")
        }
    }

    @Test func wrappersAreSeenThrough() {
        for text in [
            "sudo git push --force origin main", "env -i PATH=/bin git push -f origin main", "bash -c 'git push -f origin main'",
            "/usr/bin/git push -f origin main", #"\git push -f origin main"#, "timeout 10 nice -n 5 git push -f origin main",
            "git -c alias.yolo='push --force' yolo origin main", "eval git push -f origin main", "sh <<EOF\ngit push -f origin main\nEOF",
            "echo $(git push -f origin main)",
        ] {
            let result = GuardFixture.classify(text)
            #expect(result.operation == .destructive, "\(text): \(result.explanation)")
            #expect(result.commands.contains { $0.tool == "git" && $0.verb == "push" }, "\(text)")
        }
    }
}

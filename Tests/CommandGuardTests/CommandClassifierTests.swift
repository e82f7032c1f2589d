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

    /// `rollout` and `set` name a subcommand before the objects: the service is the object's, not the subcommand's.
    @Test func subcommandsAreNotObjects() {
        let restart = GuardFixture.classify("kubectl rollout restart deploy/payments --context prod-eu")
        #expect(restart.operation == .write && restart.commands.first?.services == ["payments"], "\(restart.explanation)")
        #expect(restart.commands.first?.resources == ["deploy/payments"])
        let image = GuardFixture.classify("kubectl set image deployment/web web=web:1.2 --context staging-1")
        #expect(image.commands.first?.services == ["web"] && image.commands.first?.resources == ["deployment/web"])
        #expect(GuardFixture.classify("kubectl rollout status deploy/payments --context prod-eu").operation == .read)
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

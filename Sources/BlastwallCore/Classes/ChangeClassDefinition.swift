/// A kind of risky change, recognised by file paths and by patterns in added lines.
public struct ChangeClassDefinition: Sendable {
    public var name: String
    public var paths: [PathPattern]
    public var addedLines: [ContentPattern]
    /// Risk points a change gets for touching this class.
    public var risk: Int
    public var isBuiltIn: Bool

    public init(name: String, paths: [PathPattern], addedLines: [ContentPattern] = [], risk: Int, isBuiltIn: Bool = false) {
        self.name = name
        self.paths = paths
        self.addedLines = addedLines
        self.risk = risk
        self.isBuiltIn = isBuiltIn
    }

    /// The names of the built-in classes, in the order they are reported.
    public static let builtInNames = ["schema-migration", "auth", "infra", "config", "dependencies", "ci", "secrets", "policy"]

    /// Built-in classes with their default patterns. The patterns are constants, so a failure to compile is a bug.
    public static let builtIns: [ChangeClassDefinition] = {
        func paths(_ patterns: [String]) -> [PathPattern] { patterns.map { try! PathPattern($0) } }
        func lines(_ patterns: [(String, [String])]) -> [ContentPattern] {
            patterns.map { try! ContentPattern($0.0, requiredWords: $0.1) }
        }
        return [
            ChangeClassDefinition(
                name: "schema-migration",
                paths: paths([
                    "migrations/", "migration/", "migrate/", "db/migrate/", "alembic/", "flyway/", "liquibase/",
                    "*.sql", "schema.rb", "structure.sql", "schema.prisma",
                ]),
                addedLines: lines([
                    (
                        #"(?i)\b(DROP\s+(TABLE|COLUMN|INDEX|SCHEMA|DATABASE|VIEW)|ALTER\s+TABLE|TRUNCATE(\s+TABLE)?|RENAME\s+(TABLE|COLUMN))\b"#,
                        ["drop", "alter", "truncate", "rename"]
                    )
                ]),
                risk: 25, isBuiltIn: true),
            ChangeClassDefinition(
                name: "auth",
                paths: paths([
                    "auth/", "authn/", "authz/", "authentication/", "authorization/", "oauth/", "sso/", "session/",
                    "sessions/", "permissions/", "rbac/", "iam/", "auth.*", "*_auth.*", "*-auth.*", "*Auth.*", "Auth*.*",
                    "*session*.*", "*Session*.*", "*permission*.*", "*Permission*.*", "*login*.*", "*Login*.*",
                    "*password*.*", "*Password*.*", "*oauth*.*", "*OAuth*.*",
                ]),
                risk: 20, isBuiltIn: true),
            ChangeClassDefinition(
                name: "infra",
                paths: paths([
                    "*.tf", "*.tfvars", "*.hcl", "terraform/", "k8s/", "kubernetes/", "manifests/", "helm/", "charts/",
                    "kustomization.yaml", "kustomization.yml", "Chart.yaml", "Dockerfile", "*.dockerfile", "Dockerfile.*",
                    "docker-compose*.yml", "docker-compose*.yaml", "compose.yaml", "compose.yml", "Pulumi.yaml",
                    "cloudformation/", "*.cfn.yaml", "*.cfn.json", "ansible/", "nginx.conf", "haproxy.cfg",
                ]),
                risk: 15, isBuiltIn: true),
            ChangeClassDefinition(
                name: "config",
                paths: paths([
                    "config/", "conf/", "configs/", "settings/", "*.conf", "*.ini", "*.properties", "*.toml",
                    "application*.yml", "application*.yaml", "appsettings*.json", "config.*", "settings.*",
                    "feature-flags/", "flags/",
                ]),
                risk: 5, isBuiltIn: true),
            ChangeClassDefinition(
                name: "dependencies",
                paths: paths([
                    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                    "bun.lockb", "Package.swift", "Package.resolved", "Podfile", "Podfile.lock", "Cartfile.resolved",
                    "go.mod", "go.sum", "Cargo.toml", "Cargo.lock", "requirements*.txt", "constraints*.txt", "Pipfile",
                    "Pipfile.lock", "poetry.lock", "pyproject.toml", "uv.lock", "setup.py", "setup.cfg", "Gemfile",
                    "Gemfile.lock", "*.gemspec", "pom.xml", "build.gradle", "build.gradle.kts", "gradle.lockfile",
                    "libs.versions.toml", "composer.json", "composer.lock", "*.csproj", "packages.lock.json",
                    "Directory.Packages.props", "mix.exs", "mix.lock", "pubspec.yaml", "pubspec.lock",
                ]),
                risk: 10, isBuiltIn: true),
            ChangeClassDefinition(
                name: "ci",
                paths: paths([
                    "/.github/workflows/", "/.github/actions/", "/.gitlab-ci.yml", "/.gitlab/ci/", "/.circleci/",
                    "Jenkinsfile", "/.buildkite/", "azure-pipelines.yml", "/.travis.yml", "bitbucket-pipelines.yml",
                    "/.ci/", "/.drone.yml", "/.woodpecker/", "/.tekton/", "cloudbuild.yaml",
                ]),
                risk: 10, isBuiltIn: true),
            // Secrets are found by what is added (known key formats; a random token assigned to a key-like
            // name) and by files that are key material by their type, never by a word such as "secret" in a
            // path: `docs/gh-secret-set.md` is documentation.
            ChangeClassDefinition(
                name: "secrets",
                paths: paths([
                    ".env", ".env.local", ".env.production", "*.p12", "*.pfx", "*.jks", "*.keystore", "*.kdbx", "id_rsa",
                    "id_ecdsa", "id_ed25519", "id_dsa", ".netrc", ".pypirc",
                ]),
                addedLines: lines([
                    (#"-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----"#, ["private key"]),
                    (#"\b(AKIA|ASIA)[0-9A-Z]{16}\b"#, ["akia", "asia"]),
                    (#"\bgh[pousr]_[A-Za-z0-9]{36,}\b"#, ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]),
                    (#"\bgithub_pat_[A-Za-z0-9_]{40,}"#, ["github_pat_"]),
                    (#"\bglpat-[0-9A-Za-z_\-]{20,}"#, ["glpat-"]),
                    (#"\bxox[abposr]-[A-Za-z0-9-]{10,}"#, ["xox"]),
                    (#"hooks\.slack\.com/services/T[0-9A-Z]{8,}/B[0-9A-Z]{8,}/[0-9A-Za-z]{24}"#, ["hooks.slack.com"]),
                    (#"\bAIza[0-9A-Za-z_\-]{35}\b"#, ["aiza"]),
                    (#"\b[sr]k_live_[0-9A-Za-z]{20,}"#, ["k_live_"]),
                    (#"\bsk-(ant-|proj-)?[A-Za-z0-9_\-]{20,}"#, ["sk-"]),
                    (#"\bnpm_[A-Za-z0-9]{36}\b"#, ["npm_"]),
                    (#"\bpypi-AgE[A-Za-z0-9_\-]{50,}"#, ["pypi-age"]),
                    (#"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b"#, ["sg."]),
                ])
                    + [
                        // A key-like name given a quoted random value: `api_key = "q8Zr…"`, not `"your-key-here"`.
                        try! ContentPattern(
                            #"(?i)\b(api[_-]?key|secret|passw(or)?d|token|access[_-]?key|private[_-]?key)\b["']?\s*[:=]\s*["'][^"'\s]{16,}["']"#,
                            requiredWords: ["key", "secret", "pass", "token"], minimumTokenEntropy: 3.5)
                    ],
                risk: 30, isBuiltIn: true),
            // Blastwall's own policy; the codeowners file it names joins it when the configuration is read.
            ChangeClassDefinition(name: "policy", paths: paths(Configuration.fileNames.map { "/" + $0 }), risk: 20, isBuiltIn: true),
        ]
    }()
}

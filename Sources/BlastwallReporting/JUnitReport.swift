import BlastwallCore

/// A JUnit XML report: the decision and each matched rule or active freeze as a test case.
public enum JUnitReport {
    public static func render(_ report: GateReport) -> String {
        var cases: [(name: String, failure: String?)] = []
        cases.append(("decision", report.decision == .deny ? report.reasons.joined(separator: "\n") : nil))
        for match in report.matchedRules {
            cases.append(("rule \(match.name)", match.deny ?? match.error))
        }
        for freeze in report.activeFreezes {
            cases.append(("freeze \(freeze.name)", "active until \(freeze.until.rfc3339): \(freeze.reason)"))
        }
        let failures = cases.filter { $0.failure != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"blastwall\" tests=\"\(cases.count)\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"blastwall check\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        out += "    <properties>\n"
        out += "      <property name=\"decision\" value=\"\(escape(report.decision.rawValue))\"/>\n"
        out += "      <property name=\"risk\" value=\"\(report.risk.score)\"/>\n"
        out += "      <property name=\"provenance\" value=\"\(escape(report.provenance.kind.rawValue))\"/>\n"
        out += "    </properties>\n"
        for testCase in cases {
            out += "    <testcase classname=\"blastwall\" name=\"\(escape(testCase.name))\""
            if let failure = testCase.failure {
                out +=
                    ">\n      <failure message=\"\(escape(failure.prefix { $0 != "\n" }))\">\(escape(failure))</failure>\n    </testcase>\n"
            } else {
                out += "/>\n"
            }
        }
        if report.decision == .review {
            out += "    <system-out>\(escape(report.reasons.joined(separator: "\n")))</system-out>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func escape(_ text: some StringProtocol) -> String { xmlEscaped(text) }
}

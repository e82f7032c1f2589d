import BlastwallControlPlane
import BlastwallCore

/// DORA's four keys over a window, as charts split by provenance and by tier, with the counts and bands behind
/// every figure.
public struct DORAPage {
    public var byProvenance: ControlPlane.DORAView
    public var byTier: ControlPlane.DORAView
    public var days: Int

    public init(byProvenance: ControlPlane.DORAView, byTier: ControlPlane.DORAView, days: Int) {
        self.byProvenance = byProvenance
        self.byTier = byTier
        self.days = days
    }

    public static let windows = [7, 30, 90, 180]

    public var view: [String: Any] {
        func split(_ name: String, _ heading: String, _ dora: ControlPlane.DORAView) -> [String: Any] {
            /// One key's chart: a bar per group where it has a value, with the value, band and counts in words.
            func chart(
                _ key: String, _ title: String, unit: String, value: (DORAFigures) -> Double?, text: (DORAFigures, Double) -> String
            ) -> BarChart {
                BarChart(
                    identifier: "\(name)-\(key)", title: "\(title), \(heading)", unit: unit,
                    bars: dora.figures.map { figure in
                        let measured = value(figure)
                        return .init(label: figure.group, value: measured, text: measured.map { text(figure, $0) } ?? "")
                    })
            }
            let charts = [
                chart("frequency", "Deployment frequency", unit: "deployments per day", value: { $0.deployments > 0 ? $0.perDay : nil }) {
                    "\(decimalText($1, places: 2)) per day (\($0.frequencyBand.rawValue), \(counted($0.deployments, "deployment")))"
                },
                chart("lead", "Lead time for changes", unit: "median hours from first commit to deployed", value: \.leadTimeMedianHours) {
                    "\(decimalText($1, places: 1)) h (\($0.leadTimeBand?.rawValue ?? ""), of \($0.leadTimeCount))"
                },
                chart(
                    "failure", "Change failure rate", unit: "% of deployments that failed", value: { $0.changeFailureRate.map { $0 * 100 } }
                ) {
                    "\(decimalText($1, places: 1))% (\($0.changeFailureBand?.rawValue ?? ""), \($0.failed) of \($0.deployments))"
                },
                chart("recovery", "Failed deployment recovery time", unit: "median hours to recover", value: \.recoveryMedianHours) {
                    "\(decimalText($1, places: 2)) h (\($0.recoveryBand?.rawValue ?? ""), of \($0.recoveryCount))"
                },
            ]
            return ["heading": heading, "charts": charts.map { ["title": $0.title, "svg": $0.svg] }]
        }
        let deployments = byProvenance.figures.first?.deployments ?? 0
        var accuracy = ""
        if byProvenance.confirmed > 0 {
            accuracy =
                "Of \(counted(byProvenance.confirmed, "incident")) with a confirmed cause, \(byProvenance.causeRankedFirst) had it ranked first"
                + (byProvenance.meanCauseRank.map { "; its mean rank was \(decimalText($0, places: 2))" } ?? "") + "."
        }
        return [
            "days": days, "since": byProvenance.since, "empty": deployments == 0,
            "windows": Self.windows.map { ["days": $0, "current": $0 == days] },
            "splits": [split("provenance", "by provenance", byProvenance), split("tier", "by tier", byTier)],
            "accuracy": accuracy,
        ]
    }
}

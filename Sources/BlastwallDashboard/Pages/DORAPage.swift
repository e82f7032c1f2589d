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
            let figures = dora.figures
            func label(_ figure: DORAFigures) -> String { name == "tier" && figure.group != "all" ? "tier \(figure.group)" : figure.group }
            let charts = [
                BarChart(
                    identifier: "\(name)-frequency", title: "Deployment frequency, \(heading)", unit: "deployments per day",
                    bars: figures.map { figure in
                        .init(
                            label: label(figure), value: figure.deployments > 0 ? figure.perDay : nil,
                            text:
                                "\(decimalText(figure.perDay, places: 2)) per day (\(figure.frequencyBand.rawValue), \(counted(figure.deployments, "deployment")))"
                        )
                    }),
                BarChart(
                    identifier: "\(name)-lead", title: "Lead time for changes, \(heading)",
                    unit: "median hours from first commit to deployed",
                    bars: figures.map { figure in
                        .init(
                            label: label(figure), value: figure.leadTimeMedianHours,
                            text: figure.leadTimeMedianHours.map {
                                "\(decimalText($0, places: 1)) h (\(figure.leadTimeBand?.rawValue ?? ""), of \(figure.leadTimeCount))"
                            } ?? "")
                    }),
                BarChart(
                    identifier: "\(name)-failure", title: "Change failure rate, \(heading)", unit: "% of deployments that failed",
                    bars: figures.map { figure in
                        .init(
                            label: label(figure), value: figure.changeFailureRate.map { $0 * 100 },
                            text: figure.changeFailureRate.map {
                                "\(decimalText($0 * 100, places: 1))% (\(figure.changeFailureBand?.rawValue ?? ""), \(figure.failed) of \(figure.deployments))"
                            } ?? "")
                    }),
                BarChart(
                    identifier: "\(name)-recovery", title: "Failed deployment recovery time, \(heading)", unit: "median hours to recover",
                    bars: figures.map { figure in
                        .init(
                            label: label(figure), value: figure.recoveryMedianHours,
                            text: figure.recoveryMedianHours.map {
                                "\(decimalText($0, places: 2)) h (\(figure.recoveryBand?.rawValue ?? ""), of \(figure.recoveryCount))"
                            } ?? "")
                    }),
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

import BlastwallControlPlane

/// The time the control plane stamps events with, for commands that write to a database directly.
public enum ControlPlaneClock {
    public static func now() -> String { ControlPlane.clock() }
}

/// What a command does to what it touches, from least to most harmful.
public enum OperationClass: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Looks only: `kubectl get`, `git log`, `SELECT`.
    case read
    /// Changes something that can be changed back: `kubectl apply`, `git commit`, `INSERT`.
    case write
    /// Loses data or availability, or cannot be undone: `kubectl delete namespace`, `git push --force`, `DROP TABLE`.
    case destructive

    public static func < (lhs: OperationClass, rhs: OperationClass) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Ids written into `IN (…)` lists of at most 500, so that a query stays within what both databases parse
/// quickly. Only integers are written, so nothing can be injected.
func idLists(_ ids: [Int64]) -> [String] {
    stride(from: 0, to: ids.count, by: 500).map { start in
        ids[start..<min(start + 500, ids.count)].map(String.init).joined(separator: ",")
    }
}

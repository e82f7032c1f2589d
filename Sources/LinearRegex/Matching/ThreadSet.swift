/// The set of instruction indices alive at one position: insertion order kept, membership in O(1), cleared in O(1).
struct ThreadSet {
    private(set) var dense: [Int32]
    private var sparse: [Int32]
    private(set) var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    func contains(_ index: Int) -> Bool {
        let slot = Int(sparse[index])
        return slot < count && dense[slot] == Int32(index)
    }

    /// Adds `index`; false when it was already there.
    mutating func insert(_ index: Int) -> Bool {
        guard !contains(index) else { return false }
        sparse[index] = Int32(count)
        dense[count] = Int32(index)
        count += 1
        return true
    }

    mutating func removeAll() {
        count = 0
    }
}

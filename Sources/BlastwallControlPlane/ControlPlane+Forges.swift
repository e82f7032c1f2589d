import BlastwallCore
import BlastwallForges
import BlastwallStorage

extension ControlPlane {
    /// What became of a webhook delivery.
    public enum DeliveryReceipt: Sendable, Equatable {
        /// Stored for the first time: it will be applied.
        case queued(Int64)
        /// Already stored under this id: nothing changes.
        case duplicate
        /// An event the gate does not use.
        case ignored(String)
    }

    /// Takes a delivery that authenticated and was read (the caller checked its signature, then read `event`),
    /// and stores it once in the durable queue. Answering after this loses nothing, even if the server dies at once.
    public func receiveDelivery(_ delivery: WebhookDelivery, event: ForgeEvent, from forge: any Forge) async throws(ControlPlaneError)
        -> DeliveryReceipt
    {
        if case .ignored(let name) = event { return .ignored(name) }
        guard let id = forge.deliveryID(of: delivery), !id.isEmpty else {
            throw .invalid(field: "delivery", message: "the delivery has no id header, so a replay could not be told from it")
        }
        let body = String(decoding: delivery.body, as: UTF8.self)
        let name = forge.eventName(of: delivery) ?? ""
        let time = now()
        let stored = try await write { transaction in
            try await ForgeDeliveryStore.insert(
                transaction, forge: forge.kind.rawValue, deliveryID: id, event: name, body: body, time: time)
        }
        return stored.map { .queued($0.id) } ?? .duplicate
    }

    /// Deliveries received and not yet applied, oldest first.
    public func pendingDeliveries(limit: Int = 100) async throws(ControlPlaneError) -> [ForgeDeliveryRecord] {
        try await read { try await ForgeDeliveryStore.pending(database, limit: limit) }
    }
}

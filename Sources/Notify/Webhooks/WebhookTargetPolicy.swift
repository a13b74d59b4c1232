/// Which webhook targets are allowed: by default only public internet addresses, so a
/// subscriber cannot make statusd call its own admin port, the cloud metadata service or a
/// machine of the internal network.
public struct WebhookTargetPolicy: Sendable {
    /// Let loopback, private, link-local and other non-public addresses through (the config's
    /// `webhooks.allow_private_targets`): for deployments whose receivers are internal.
    public var allowPrivateTargets: Bool
    /// Exact "host:port" targets allowed whatever they resolve to ("hooks.internal:8443",
    /// "[fd00::5]:443"): one internal receiver, without opening every private address.
    public var allowedTargets: Set<String>
    /// Turns a host name into addresses; the system's resolver unless a test sets another.
    var resolver: @Sendable (String) async throws(WebhookTargetError) -> [IPAddress] = { host throws(WebhookTargetError) in
        try await HostResolver.addresses(of: host)
    }

    public init(allowPrivateTargets: Bool = false, allowedTargets: Set<String> = []) {
        self.allowPrivateTargets = allowPrivateTargets
        self.allowedTargets = Set(allowedTargets.map { $0.lowercased() })
    }
}

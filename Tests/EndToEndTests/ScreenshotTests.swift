import Foundation
import Testing

/// The README's screenshots (docs/screenshots/grid.png, product.png, grid-phone.png), taken
/// from the demo in headless Chromium on every run, so they never go stale. The demo runs on
/// the shipped config with a branding section, as a vendor would set it.
@Suite struct ScreenshotTests {
    static let branding = """

        branding:
          name: Nuage Démo
          logo: \(StatusdBinary.repositoryRoot.appendingPathComponent("config/branding/demo-logo.svg").path)
          accent: "#0d5c63"
          phone: +33 1 23 45 67 89
          links:
            - label: {fr: Nous contacter, en: Contact us}
              url: https://www.example.com/contact
            - label: {fr: Politique de confidentialité, en: Privacy policy}
              url: https://www.example.com/privacy
        """

    @Test func readmeScreenshotsComeFromTheDemo() async throws {
        // The demo's products only: the shipped config's own watch 127.0.0.1:8080, which this
        // test's server (on a free port) is not, and would show rows without data.
        let shipped = try DemoTests.shippedConfig()
        let withoutProducts = shipped.range(of: "\nproducts:").map { String(shipped[..<$0.lowerBound]) } ?? shipped
        let workspace = try Workspace(config: withoutProducts + "\n" + Self.branding)
        let demo = try await StatusdBinary.runAsync(["demo", "--config", workspace.configPath])
        #expect(demo.status == 0, "stderr: \(demo.stderr)")
        let server = try await RunningServer.start(configPath: workspace.configPath,
                                                   stderrPath: workspace.folder.appendingPathComponent("serve.log").path)
        let folder = StatusdBinary.repositoryRoot.appendingPathComponent("docs/screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let walk = try await BrowserTests.runScript("Tests/Browser/screenshots.py", [server.baseURL, "yourcegid-paie", folder.path])
        #expect(walk.status == 0, "screenshots failed:\n\(walk.output)")
        #expect(walk.output.contains("3 passed, 0 failed"), "\(walk.output)")
        for name in ["grid.png", "product.png", "grid-phone.png"] {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
        }
        _ = try await server.stopped()
    }
}

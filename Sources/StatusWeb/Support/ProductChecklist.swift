/// A form with the product checkboxes of `product_choices.mustache`. They repeat, so they are
/// named `products[]`: `URLEncodedFormDecoder` decodes those (also percent-encoded, as browsers
/// send them) into an array, and refuses a plain repeated `products` as duplicate keys (a 400).
protocol ProductChecklist {
    /// Nil when no box is ticked: browsers send nothing for unticked boxes.
    var products: [String]? { get }
}

extension ProductChecklist {
    /// The boxes ticked, as the page shows them again.
    var chosenProducts: [String] { products ?? [] }
}

/// The master-side plugin (a Python file for `locust -f`) that merges our workers' histograms.
public enum LocustPlugin {
    public static let fileName = "senior_backend_locust.py"
    public static var source: String { String(decoding: PackageResources.senior_backend_locust_py, as: UTF8.self) }
}

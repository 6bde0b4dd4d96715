/// Numbers as people read them in messages: `20` rather than `20.0`, `0.995` as is.
public enum NumberText {
    public static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

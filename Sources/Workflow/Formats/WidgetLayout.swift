/// How frontend 1.35.9 builds a core node's widgets and input slots from its `/object_info`
/// definition, and how a saved `widgets_values` array lands on those widgets
/// (`litegraphService.addInputs`, `useIntWidget`/`useComboWidget`/..., `addValueControlWidgets`,
/// `migrateWidgetsValues`, `LGraphNode.configure`).
enum WidgetLayout {
    /// Input types that have a widget constructor in the frontend (`ComfyWidgets` plus the
    /// extension widgets of core nodes).
    static let widgetTypes: Set<String> = ["INT", "FLOAT", "BOOLEAN", "STRING", "MARKDOWN", "COMBO",
                                           "IMAGEUPLOAD", "COLOR", "IMAGECOMPARE", "CHART", "GALLERIA",
                                           "TEXTAREA", "PREVIEW_3D", "LOAD_3D", "WEBCAM"]

    static func isWidget(_ spec: InputSpec) -> Bool {
        spec.section != .hidden && !spec.forceInput && widgetTypes.contains(spec.type)
    }

    /// `getOrderedInputSpecs`: required then optional in `input_order`, then inputs the
    /// extensions added.
    static func orderedInputs(_ schema: NodeSchema) -> [InputSpec] {
        schema.inputs.filter { $0.section == .required } + schema.inputs.filter { $0.section == .optional }
            + FrontendExtensions.addedInputs(for: schema)
    }

    /// The definition's inputs as the V2 record lists them (`migrateWidgetsValues`): required
    /// (extension additions included) before optional.
    static func declaredInputs(_ schema: NodeSchema) -> [InputSpec] {
        schema.inputs.filter { $0.section == .required } + FrontendExtensions.addedInputs(for: schema)
            + schema.inputs.filter { $0.section == .optional }
    }

    /// Every widget of a freshly created node, in order, with its default value.
    static func widgets(for schema: NodeSchema) -> [RuntimeWidget] {
        var widgets: [RuntimeWidget] = []
        for spec in orderedInputs(schema) where isWidget(spec) {
            widgets.append(contentsOf: FrontendExtensions.leadingWidgets(spec))
            widgets.append(mainWidget(spec, node: schema.name))
            widgets.append(contentsOf: companionWidgets(spec))
        }
        return widgets + FrontendExtensions.createdWidgets(for: schema)
    }

    private static func mainWidget(_ spec: InputSpec, node: String) -> RuntimeWidget {
        switch spec.type {
        case "INT", "FLOAT":
            return RuntimeWidget(spec.name, value: spec.defaultValue ?? 0)
        case "BOOLEAN":
            return RuntimeWidget(spec.name, value: spec.defaultValue ?? false)
        case "STRING":
            return RuntimeWidget(spec.name, value: spec.defaultValue ?? "",
                                 dynamicPrompts: spec.options["dynamicPrompts"]?.boolValue == true,
                                 textReplacements: spec.name == "filename_prefix"
                                     && FrontendExtensions.textReplacementNodes.contains(node))
        case "COMBO":
            return RuntimeWidget(spec.name, value: comboDefault(spec))
        case "IMAGEUPLOAD":
            // The upload button: owns a slot (LoadImage saves ["file.png", "image"]), never sent.
            return RuntimeWidget(spec.name, value: "image", sentToAPI: false)
        case "PREVIEW_3D":
            return RuntimeWidget(spec.name, value: "")
        default:
            return RuntimeWidget(spec.name, value: spec.defaultValue)
        }
    }

    /// `getDefaultValue` of useComboWidget: a truthy `default`, else the first option.
    private static func comboDefault(_ spec: InputSpec) -> JSONValue? {
        if let d = spec.defaultValue, JavaScript.isTruthy(d) { return d }
        if let first = spec.choices?.first { return first }
        if spec.options["remote"] != nil { return "Loading..." }
        return nil
    }

    /// Widgets created right after the main one: the control_after_generate combo (and for
    /// combos its filter text), the refresh button of remote combos. None is sent to the API.
    private static func companionWidgets(_ spec: InputSpec) -> [RuntimeWidget] {
        var extra: [RuntimeWidget] = []
        let flag = spec.options["control_after_generate"]
        let controlName = flag?.stringValue ?? "control_after_generate"
        switch spec.type {
        case "INT":
            // useIntWidget: the explicit flag, else the name (`??`: an explicit false wins).
            let wanted = flag.map(JavaScript.isTruthy) ?? ["seed", "noise_seed"].contains(spec.name)
            if wanted { extra.append(RuntimeWidget(controlName, value: "randomize", sentToAPI: false)) }
        case "FLOAT":
            if flag.map(JavaScript.isTruthy) == true {
                extra.append(RuntimeWidget(controlName, value: "randomize", sentToAPI: false))
            }
        case "COMBO":
            // The refresh button has no `serialize: false` option, so the frontend sends it.
            if let remote = spec.options["remote"], remote["refresh_button"]?.boolValue == true {
                extra.append(RuntimeWidget("refresh", value: "refresh"))
            }
            if flag.map(JavaScript.isTruthy) == true {
                extra.append(RuntimeWidget(controlName, value: "randomize", sentToAPI: false))
                extra.append(RuntimeWidget("control_filter_list", value: "", sentToAPI: false))
            }
        default:
            break
        }
        return extra
    }

    /// The live input slots after `ComfyNode.configure`: the definition's sockets, then its
    /// widget inputs, each taking link and label from the saved slot of the same name, then
    /// saved slots the definition does not have.
    static func inputs(for schema: NodeSchema, saved: [UIInputSlot]) -> [RuntimeInput] {
        let ordered = orderedInputs(schema)
        let sockets = ordered.filter { $0.section != .hidden && !isWidget($0) }
        let widgetInputs = ordered.filter(isWidget)
        var result: [RuntimeInput] = []
        for spec in sockets + widgetInputs {
            let isWidget = isWidget(spec)
            var input = RuntimeInput(name: spec.name, type: spec.type, link: nil,
                                     widgetName: isWidget ? spec.name : nil)
            if let s = saved.first(where: { $0.name == spec.name }) {
                input.link = s.link
                // `widget` follows the definition, except that a socket keeps a saved one.
                if !isWidget { input.widgetName = s.widgetName }
            }
            result.append(input)
        }
        let defined = Set(result.map(\.name))
        for s in saved where !defined.contains(s.name) {
            result.append(RuntimeInput(name: s.name, type: s.type, link: s.link, widgetName: s.widgetName))
        }
        return result
    }

    /// `migrateWidgetsValues`: files from before forceInput inputs lost their widget carry a
    /// value for each of them; when the count matches that old layout, those entries go.
    static func migrate(_ values: [JSONValue], schema: NodeSchema, widgets: [RuntimeWidget]) -> [JSONValue] {
        let names = Set(widgets.map(\.name))
        let original = declaredInputs(schema).filter { names.contains($0.name) || $0.forceInput }
        let count = original.reduce(0) { sum, spec in
            let flag = spec.options["control_after_generate"].map(JavaScript.isTruthy) ?? false
            return sum + (flag || ["seed", "noise_seed"].contains(spec.name) ? 2 : 1)
        }
        guard count == values.count else { return values }
        // lodash zip pairs input k with value k; only the forceInput positions are dropped.
        return values.enumerated().filter { k, _ in !(k < original.count && original[k].forceInput) }.map(\.1)
    }

    /// `LGraphNode.configure`: values go to the widgets that own a slot, in order, until
    /// either runs out. An object `widgets_values` is read by index keys, as JavaScript would.
    static func assign(_ saved: JSONValue?, to widgets: [RuntimeWidget], migrate: ([JSONValue]) -> [JSONValue]) {
        switch saved {
        case .array(let raw)?:
            let values = migrate(raw)
            var i = 0
            for widget in widgets where widget.ownsSlot {
                if i >= values.count { break }
                widget.value = values[i]
                i += 1
            }
        case .object(let o)?:
            // `i >= undefined` is false in JavaScript: every slot is read, absent keys give undefined.
            var i = 0
            for widget in widgets where widget.ownsSlot {
                widget.value = o[String(i)]
                i += 1
            }
        default:
            break
        }
    }
}

/// The few JavaScript semantics the conversion depends on.
enum JavaScript {
    static func isTruthy(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .uint, .bigInt: return true
        case .double(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .array, .object: return true
        }
    }
}

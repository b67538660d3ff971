// The JSON types (`JSONValue`, `JSONObject`, `JSONParser`, styles) live in the JSON target, which
// Checkpoint shares; everything that imports Workflow sees them as before.
@_exported import JSON

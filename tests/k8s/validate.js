// Validates Kubernetes manifests offline against the API schema that the
// npm package kubernetes-models carries (types, required fields, enums
// and formats of each kind), and prints every document as one JSON array
// on stdout for further checks. Exit 1, naming file, document and path,
// when one is not valid; 2 on a kind it does not know.
//
//   node validate.js FILE.yaml...
"use strict";

const fs = require("fs");
const YAML = require("yaml");

// apiVersion and kind to the module of kubernetes-models that has them.
const models = {
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "batch/v1/Job": "kubernetes-models/batch/v1/Job",
};

let failed = false;
const all = [];
for (const file of process.argv.slice(2)) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
  docs.forEach((doc, i) => {
    if (doc.errors.length) {
      console.error(`${file}: document ${i + 1}: ${doc.errors[0].message}`);
      failed = true;
      return;
    }
    const obj = doc.toJS();
    const key = `${obj.apiVersion}/${obj.kind}`;
    if (!models[key]) {
      console.error(`${file}: document ${i + 1}: no schema here for ${key}`);
      process.exit(2);
    }
    const Model = Object.values(require(models[key]))[0];
    try {
      new Model(obj).validate();
    } catch (e) {
      console.error(`${file}: document ${i + 1} (${key}): ${e.message}`);
      failed = true;
    }
    all.push(obj);
  });
}
process.stdout.write(JSON.stringify(all) + "\n");
process.exit(failed ? 1 : 0);

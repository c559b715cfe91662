// Read a Frictionless package with the JavaScript `datapackage` library and read every row of every resource,
// cast by its Table Schema; print one JSON line per resource: {"resource", "rows", "errors": [...]}.
const {Package} = require('datapackage')
async function main() {
  const pkg = await Package.load(process.argv[2] + '/datapackage.json', {basePath: process.argv[2]})
  const out = {valid: pkg.valid, errors: pkg.errors.map(String), resources: []}
  for (const resource of pkg.resources) {
    const entry = {name: resource.name, rows: 0, errors: []}
    try {
      const rows = await resource.read({cast: true, relations: false})
      entry.rows = rows.length
    } catch (error) {
      entry.errors.push(String(error.message || error))
      if (error.errors) entry.errors.push(...error.errors.slice(0, 5).map(String))
    }
    out.resources.push(entry)
  }
  console.log(JSON.stringify(out))
}
main().catch(e => { console.log(JSON.stringify({fatal: String(e)})); process.exit(2) })

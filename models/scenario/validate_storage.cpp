// Cross-checks of storage: every claim can get a volume (its StorageClass exists, or a
// PersistentVolume can satisfy it), every PersistentVolume names a declared EBS volume in a
// consistent zone, StorageClasses use EBS types and the cloud's zones.
#include <map>
#include <set>

#include "models/scenario/suggest.hpp"
#include "models/scenario/validate.hpp"

namespace azsim::scenario::check {

namespace {

const std::vector<std::string> kEbsTypes = {"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"};

bool is_ebs_provisioner(const std::string& p) { return p == "ebs.csi.aws.com" || p == "kubernetes.io/aws-ebs"; }

bool is_zone_key(const std::string& k) {
  return k == k8s::wellknown::kZone || k == k8s::wellknown::kZoneLegacy || k == k8s::wellknown::kEbsCsiZone;
}

/// The zones a PV's own labels and node affinity allow, or empty when it does not restrict them.
std::set<std::string> pv_zones(const k8s::PersistentVolume& pv, bool& restricted) {
  std::set<std::string> zones;
  restricted = false;
  for (const char* key : {k8s::wellknown::kZone, k8s::wellknown::kZoneLegacy}) {
    auto it = pv.meta.labels.find(key);
    if (it != pv.meta.labels.end()) {
      restricted = true;
      zones.insert(it->second);
    }
  }
  if (pv.node_affinity) {
    for (const auto& term : pv.node_affinity->terms)
      for (const auto& r : term.match_expressions)
        if (is_zone_key(r.key) && r.op == k8s::SelectorOp::In) {
          restricted = true;
          zones.insert(r.values.begin(), r.values.end());
        }
  }
  return zones;
}

struct StorageIndex {
  std::map<std::string, const Declared<k8s::StorageClass>*> classes;
  bool has_default = false;
  std::map<std::string, const Declared<k8s::PersistentVolume>*> pvs;
  std::set<std::string> pv_classes;  // storageClassName of every PV ("" included)
  std::map<std::string, const DeclaredVolume*> volumes;
};

/// Can a claim with this class ever get a volume?
template <class T>
void check_claim(const k8s::PersistentVolumeClaim& pvc, const Declared<T>& owner, const std::string& spec_path,
                 const StorageIndex& ix, const std::vector<std::string>& class_names, Diagnostics& d) {
  const std::string sc_path = spec_path + ".storageClassName";
  if (!pvc.volume_name.empty()) {
    if (!ix.pvs.count(pvc.volume_name))
      error_at(d, owner, spec_path + ".volumeName",
               "PersistentVolume \"" + pvc.volume_name + "\" does not exist: the claim would stay Pending");
    return;
  }
  if (!pvc.storage_class_name) {
    if (ix.has_default || ix.pv_classes.count("")) return;
    error_at(d, owner, spec_path,
             "no storageClassName and no default StorageClass: the claim would stay Pending (name a class, mark one "
             "with annotation storageclass.kubernetes.io/is-default-class: \"true\", or add a PersistentVolume "
             "without storageClassName)");
    return;
  }
  const std::string& name = *pvc.storage_class_name;
  if (name.empty()) {
    if (!ix.pv_classes.count(""))
      error_at(d, owner, sc_path,
               "storageClassName \"\" binds only to PersistentVolumes without a class, and there is none: the claim "
               "would stay Pending");
    return;
  }
  if (ix.classes.count(name) || ix.pv_classes.count(name)) return;
  error_at(d, owner, sc_path,
           "StorageClass \"" + name +
               "\" does not exist and no PersistentVolume has that class: the claim would stay "
               "Pending" +
               did_you_mean(name, class_names));
}

void check_class(const Declared<k8s::StorageClass>& sc, const Scenario& s, Diagnostics& d) {
  const auto& o = sc.object;
  if (!o.provisioner.empty() && !is_ebs_provisioner(o.provisioner)) {
    warning_at(d, sc, "provisioner",
               "provisioner \"" + o.provisioner +
                   "\" is not modelled (only ebs.csi.aws.com and kubernetes.io/aws-ebs): "
                   "claims of this class are never provisioned");
    return;
  }
  auto type = o.parameters.find("type");
  if (type != o.parameters.end()) {
    bool known = false;
    for (const auto& t : kEbsTypes) known = known || t == type->second;
    if (!known)
      error_at(d, sc, "parameters.type",
               "\"" + type->second + "\" is not an EBS volume type: use " + one_of(kEbsTypes) +
                   did_you_mean(type->second, kEbsTypes));
  }
  for (std::size_t t = 0; t < o.allowed_topologies.size(); ++t) {
    const auto& exprs = o.allowed_topologies[t].match_expressions;
    for (std::size_t e = 0; e < exprs.size(); ++e) {
      const std::string base =
          "allowedTopologies[" + std::to_string(t) + "].matchLabelExpressions[" + std::to_string(e) + "]";
      if (!is_zone_key(exprs[e].key)) {
        error_at(d, sc, base + ".key", "\"" + exprs[e].key + "\" is not a zone key: use topology.kubernetes.io/zone");
        continue;
      }
      for (std::size_t v = 0; v < exprs[e].values.size(); ++v) {
        bool in_cloud = false;
        for (const auto& z : s.cloud.zones) in_cloud = in_cloud || z == exprs[e].values[v];
        if (!in_cloud && !s.cloud.zones.empty())
          error_at(d, sc, base + ".values[" + std::to_string(v) + "]",
                   "zone \"" + exprs[e].values[v] + "\" is not one of the cloud's zones" +
                       did_you_mean(exprs[e].values[v], s.cloud.zones));
      }
    }
  }
}

void check_pv(const Declared<k8s::PersistentVolume>& pv, const StorageIndex& ix,
              std::map<std::string, std::string>& used_by, Diagnostics& d) {
  const auto& src = pv.object.source;
  const bool csi = src.type == k8s::PersistentVolumeSource::Type::Csi;
  const bool ebs =
      src.type == k8s::PersistentVolumeSource::Type::AwsElasticBlockStore || (csi && src.driver == "ebs.csi.aws.com");
  const std::string id_path = csi ? "spec.csi.volumeHandle" : "spec.awsElasticBlockStore.volumeID";
  if (csi && !ebs) {
    warning_at(d, pv, "spec.csi.driver",
               "CSI driver \"" + src.driver + "\" is not modelled: only EBS volumes attach and fail");
    return;
  }
  if (!ebs || src.volume_id.empty()) return;
  auto it = ix.volumes.find(src.volume_id);
  if (it == ix.volumes.end()) {
    error_at(d, pv, id_path,
             "EBS volume \"" + src.volume_id +
                 "\" is not declared in spec.cloud.volumes (a volume created by hand needs "
                 "its id, zone and size there)");
    return;
  }
  const DeclaredVolume& vol = *it->second;
  check_written_zone(d, pv, id_path, src.written_zone, vol.id, vol.zone);
  auto [prev, fresh] = used_by.emplace(vol.id, pv.ref);
  if (!fresh)
    warning_at(d, pv, id_path,
               "EBS volume \"" + vol.id + "\" is also used by " + prev->second + ": only one can attach it at a time");
  bool restricted = false;
  const auto zones = pv_zones(pv.object, restricted);
  if (restricted && !zones.count(vol.zone)) {
    std::string listed;
    for (const auto& z : zones) listed += (listed.empty() ? "" : ", ") + z;
    error_at(d, pv, pv.object.node_affinity ? "spec.nodeAffinity" : "metadata.labels",
             "the PersistentVolume allows zone " + listed + " but " + vol.id + " is in " + vol.zone +
                 ": no pod could ever attach it");
  }
  if (pv.object.capacity_bytes > vol.size_gib * (std::int64_t{1} << 30))
    warning_at(d, pv, "spec.capacity.storage",
               "is larger than " + vol.id + " (" + std::to_string(vol.size_gib) +
                   "Gi): claims may expect space the volume does not have");
}

}  // namespace

void validate_storage(const Scenario& s, Diagnostics& d) {
  const auto& m = s.manifests;
  check_unique(m.storage_classes, "StorageClass", d);
  check_unique(m.persistent_volumes, "PersistentVolume", d);
  check_unique(m.persistent_volume_claims, "PersistentVolumeClaim", d);

  StorageIndex ix;
  std::vector<std::string> class_names;
  for (const auto& sc : m.storage_classes) {
    if (sc.object.is_default()) {
      if (ix.has_default)
        warning_at(d, sc, "metadata.annotations",
                   "another StorageClass is already the default; Kubernetes then uses the newest default class");
      ix.has_default = true;
    }
    ix.classes.emplace(sc.object.meta.name, &sc);
    class_names.push_back(sc.object.meta.name);
    check_class(sc, s, d);
  }
  for (const auto& pv : m.persistent_volumes) {
    ix.pvs.emplace(pv.object.meta.name, &pv);
    ix.pv_classes.insert(pv.object.storage_class_name);
  }
  for (const auto& v : s.cloud.volumes) ix.volumes.emplace(v.id, &v);

  std::map<std::string, std::string> used_by;
  for (const auto& pv : m.persistent_volumes) check_pv(pv, ix, used_by, d);
  for (const auto& pvc : m.persistent_volume_claims) check_claim(pvc.object, pvc, "spec", ix, class_names, d);
  for (const auto& sts : m.stateful_sets)
    for (std::size_t i = 0; i < sts.object.volume_claim_templates.size(); ++i)
      check_claim(sts.object.volume_claim_templates[i], sts,
                  "spec.volumeClaimTemplates[" + std::to_string(i) + "].spec", ix, class_names, d);
}

}  // namespace azsim::scenario::check

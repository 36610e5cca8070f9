// StorageClass, PersistentVolume and PersistentVolumeClaim manifests.
#include "models/k8s/quantity.hpp"
#include "models/scenario/manifest_parse.hpp"

namespace azsim::scenario::manifest {

namespace {

const std::vector<std::string> kPvSources = {"gcePersistentDisk",
                                             "awsElasticBlockStore",
                                             "hostPath",
                                             "glusterfs",
                                             "nfs",
                                             "rbd",
                                             "iscsi",
                                             "cinder",
                                             "cephfs",
                                             "fc",
                                             "flocker",
                                             "flexVolume",
                                             "azureFile",
                                             "vsphereVolume",
                                             "quobyte",
                                             "azureDisk",
                                             "photonPersistentDisk",
                                             "portworxVolume",
                                             "scaleIO",
                                             "local",
                                             "storageos",
                                             "csi"};

std::vector<k8s::AccessMode> read_access_modes(const Field& f) {
  std::vector<k8s::AccessMode> out;
  for (const auto& item : f.items()) {
    auto m = item.one_of({"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"});
    if (!m) continue;
    if (*m == "ReadWriteOnce")
      out.push_back(k8s::AccessMode::ReadWriteOnce);
    else if (*m == "ReadOnlyMany")
      out.push_back(k8s::AccessMode::ReadOnlyMany);
    else if (*m == "ReadWriteMany")
      out.push_back(k8s::AccessMode::ReadWriteMany);
    else
      out.push_back(k8s::AccessMode::ReadWriteOncePod);
  }
  return out;
}

std::optional<std::int64_t> read_storage(const Field& f) {
  auto text = f.str_or_number();
  if (!text) return std::nullopt;
  const auto q = k8s::parse_quantity(*text);
  if (!q.ok) {
    f.error(q.error);
    return std::nullopt;
  }
  if (q.milli <= 0) {
    f.error("must be greater than zero, got " + *text);
    return std::nullopt;
  }
  return k8s::milli_to_units(q.milli);
}

std::optional<k8s::ReclaimPolicy> read_reclaim(const Field& f) {
  auto p = f.one_of({"Retain", "Delete", "Recycle"});
  if (!p) return std::nullopt;
  if (*p == "Retain") return k8s::ReclaimPolicy::Retain;
  if (*p == "Delete") return k8s::ReclaimPolicy::Delete;
  return k8s::ReclaimPolicy::Recycle;
}

}  // namespace

void read_pvc_spec(const Field& spec, k8s::PersistentVolumeClaim& pvc) {
  if (!spec.require() || !spec.expect_map()) return;
  spec.check_keys({"accessModes", "selector", "resources", "volumeName", "storageClassName", "volumeMode", "dataSource",
                   "dataSourceRef", "volumeAttributesClassName"},
                  UnknownKeys::Warn);
  const Field modes = spec["accessModes"];
  pvc.access_modes = read_access_modes(modes);
  if (!modes.present())
    modes.require("e.g. [ReadWriteOnce]");
  else if (modes.is_seq() && modes.node()->items.empty())
    modes.error("at least one access mode is required");
  const Field resources = spec["resources"];
  if (resources.expect_map()) resources.check_keys({"requests", "limits", "claims"}, UnknownKeys::Warn);
  const Field storage = resources["requests"]["storage"];
  if (storage.present()) {
    if (auto b = read_storage(storage)) pvc.request_bytes = *b;
  } else {
    storage.require("the size of the volume, e.g. storage: 10Gi");
  }
  // Absent (or null) means "the default StorageClass"; "" means "no class, static PVs only".
  if (spec["storageClassName"].present()) {
    if (auto sc = spec["storageClassName"].str()) pvc.storage_class_name = *sc;
  }
  if (auto v = spec["volumeName"].str()) pvc.volume_name = *v;
  if (spec["selector"].present()) pvc.selector = read_label_selector(spec["selector"]);
  if (auto mode = spec["volumeMode"].one_of({"Filesystem", "Block"}); mode && *mode == "Block")
    spec["volumeMode"].warning("raw block volumes are simulated like filesystem volumes");
}

void read_storage_class(const Field& root, k8s::StorageClass& sc) {
  root.check_keys({"apiVersion", "kind", "metadata", "provisioner", "parameters", "reclaimPolicy", "mountOptions",
                   "allowVolumeExpansion", "volumeBindingMode", "allowedTopologies"},
                  UnknownKeys::Warn);
  if (auto p = root["provisioner"].str())
    sc.provisioner = *p;
  else
    root["provisioner"].require("e.g. ebs.csi.aws.com or kubernetes.io/aws-ebs");
  if (auto params = root["parameters"].str_map())
    for (const auto& [k, v] : *params) sc.parameters[k] = v;
  if (auto r = read_reclaim(root["reclaimPolicy"])) {
    if (*r == k8s::ReclaimPolicy::Recycle)
      root["reclaimPolicy"].error("a StorageClass reclaimPolicy is Delete or Retain");
    else
      sc.reclaim_policy = *r;
  }
  if (auto m = root["volumeBindingMode"].one_of({"Immediate", "WaitForFirstConsumer"}))
    sc.volume_binding_mode =
        *m == "Immediate" ? k8s::VolumeBindingMode::Immediate : k8s::VolumeBindingMode::WaitForFirstConsumer;
  if (auto e = root["allowVolumeExpansion"].boolean()) sc.allow_volume_expansion = *e;
  for (const auto& term : root["allowedTopologies"].items()) {
    if (!term.expect_map()) continue;
    term.check_keys({"matchLabelExpressions"}, UnknownKeys::Warn);
    k8s::NodeSelectorTerm t;
    for (const auto& e : term["matchLabelExpressions"].items()) {
      if (!e.expect_map()) continue;
      e.check_keys({"key", "values"}, UnknownKeys::Warn);
      k8s::Requirement r;
      r.op = k8s::SelectorOp::In;
      if (auto k = e["key"].str())
        r.key = *k;
      else
        e["key"].require();
      if (auto vs = e["values"].str_list()) r.values = *vs;
      if (r.values.empty()) e["values"].error("at least one value is required");
      t.match_expressions.push_back(r);
    }
    sc.allowed_topologies.push_back(t);
  }
  // Kubernetes honours the beta default-class annotation as well as the GA one (the kops
  // addons of its era set only the beta one); record it under the GA key that
  // StorageClass::is_default() reads.
  const auto beta = sc.meta.annotations.find("storageclass.beta.kubernetes.io/is-default-class");
  if (beta != sc.meta.annotations.end() && beta->second == "true" &&
      sc.meta.annotations.find(k8s::wellknown::kAnnotationDefaultClass) == sc.meta.annotations.end())
    sc.meta.annotations[k8s::wellknown::kAnnotationDefaultClass] = "true";
}

void read_persistent_volume(const Field& root, k8s::PersistentVolume& pv) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  const Field spec = root["spec"];
  if (!spec.require() || !spec.expect_map()) return;
  std::vector<std::string> known = kPvSources;
  for (const char* k : {"capacity", "accessModes", "claimRef", "persistentVolumeReclaimPolicy", "storageClassName",
                        "mountOptions", "volumeMode", "nodeAffinity", "volumeAttributesClassName"})
    known.push_back(k);
  spec.check_keys(known, UnknownKeys::Warn);
  const Field storage = spec["capacity"]["storage"];
  if (storage.present()) {
    if (auto b = read_storage(storage)) pv.capacity_bytes = *b;
  } else {
    storage.require("the size of the volume, e.g. storage: 10Gi");
  }
  const Field modes = spec["accessModes"];
  pv.access_modes = read_access_modes(modes);
  if (!modes.present()) modes.require("e.g. [ReadWriteOnce]");
  if (auto sc = spec["storageClassName"].str()) pv.storage_class_name = *sc;
  // A PV created by hand keeps its data when released unless it says otherwise.
  pv.reclaim_policy = k8s::ReclaimPolicy::Retain;
  if (auto r = read_reclaim(spec["persistentVolumeReclaimPolicy"])) pv.reclaim_policy = *r;
  if (const Field na = spec["nodeAffinity"]; na.expect_map()) {
    na.check_keys({"required"}, UnknownKeys::Warn);
    if (na["required"].present()) pv.node_affinity = read_node_selector(na["required"]);
  }
  if (const Field cr = spec["claimRef"]; cr.expect_map()) {
    cr.check_keys({"kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"},
                  UnknownKeys::Warn);
    k8s::ClaimReference ref;
    ref.ns = cr["namespace"].str().value_or("default");
    if (auto n = cr["name"].str())
      ref.name = *n;
    else
      cr["name"].require();
    pv.claim_ref = ref;
  }
  int sources = 0;
  for (const auto& s : kPvSources) sources += spec[s].present() ? 1 : 0;
  if (sources == 0) spec.error("a PersistentVolume needs a volume source, e.g. csi or awsElasticBlockStore");
  if (sources > 1) spec.error("may not specify more than one volume source");
  if (const Field csi = spec["csi"]; csi.expect_map()) {
    pv.source.type = k8s::PersistentVolumeSource::Type::Csi;
    if (auto d = csi["driver"].str())
      pv.source.driver = *d;
    else
      csi["driver"].require("e.g. ebs.csi.aws.com");
    if (auto h = csi["volumeHandle"].str())
      pv.source.volume_id = *h;
    else
      csi["volumeHandle"].require("the EBS volume id, e.g. vol-0123456789abcdef0");
    if (auto fs = csi["fsType"].str()) pv.source.fs_type = *fs;
  }
  if (const Field ebs = spec["awsElasticBlockStore"]; ebs.expect_map()) {
    ebs.check_keys({"volumeID", "fsType", "partition", "readOnly"}, UnknownKeys::Warn);
    pv.source.type = k8s::PersistentVolumeSource::Type::AwsElasticBlockStore;
    pv.source.driver = "kubernetes.io/aws-ebs";
    if (auto id = ebs["volumeID"].str())
      pv.source.volume_id = ebs_volume_id(*id, &pv.source.written_zone);
    else
      ebs["volumeID"].require("the EBS volume id, e.g. vol-0123456789abcdef0");
    if (auto fs = ebs["fsType"].str()) pv.source.fs_type = *fs;
  }
}

void read_persistent_volume_claim(const Field& root, k8s::PersistentVolumeClaim& pvc) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  read_pvc_spec(root["spec"], pvc);
}

}  // namespace azsim::scenario::manifest

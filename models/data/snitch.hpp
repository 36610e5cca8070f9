// Ec2Snitch: the datacenter and rack Cassandra derives from an EC2 availability zone name
// (apache/cassandra locator/Ec2Snitch.java).
//
//   legacy naming (Cassandra < 4.0, and ec2_naming_scheme=legacy since):
//     rack = the part after the last '-': "eu-west-1a" -> "1a"
//     DC   = the zone without its last letter, and without the trailing "-1" when the region
//            number is 1 (the CASSANDRA-4026 hack): "eu-west-1a" -> "eu-west",
//            "us-east-1b" -> "us-east", but "us-west-2a" -> "us-west-2".
//   standard naming (Cassandra 4.0+ default):
//     rack = the zone name "eu-west-1a", DC = the zone without its trailing letters "eu-west-1".
#pragma once

#include <string>
#include <string_view>

namespace azsim::data {

/// A node's place in the topology as the snitch reports it.
struct SnitchLocation {
  std::string dc;
  std::string rack;
};

/// Ec2Snitch's DC and rack for an availability zone name like "eu-west-1a".
SnitchLocation ec2_snitch_location(std::string_view zone, bool legacy_naming = true);

}  // namespace azsim::data

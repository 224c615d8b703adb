// RUN: mx-opt %s -split-input-file -verify-diagnostics

func.func @f(%t: vector<32xi8>, %i: vector<32xi8>) {
  // expected-error @+1 {{'mx_x86.lookup' op operand #0 must be vector of 8-bit signless integer values of length 64, but got 'vector<32xi8>'}}
  %l = mx_x86.lookup %t, %i : vector<32xi8>
  return
}

// -----

func.func @f(%acc: vector<8xi32>, %a: vector<64xi8>, %b: vector<64xi8>) {
  // expected-error @+1 {{'mx_x86.dot_u8s8' op operand #0 must be vector of 32-bit signless integer values of length 16, but got 'vector<8xi32>'}}
  %s = "mx_x86.dot_u8s8"(%acc, %a, %b) : (vector<8xi32>, vector<64xi8>, vector<64xi8>) -> vector<8xi32>
  return
}

// -----

func.func @f(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi16>) {
  // expected-error @+1 {{'mx_x86.dot_u8s8' op operand #2 must be vector of 8-bit signless integer values of length 64, but got 'vector<64xi16>'}}
  %s = "mx_x86.dot_u8s8"(%acc, %a, %b) : (vector<16xi32>, vector<64xi8>, vector<64xi16>) -> vector<16xi32>
  return
}

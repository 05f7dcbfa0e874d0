import { middleWay } from './secular.js';
import { secularFailureForced } from './secular-failure.js';

/**
 * The secular equation of the bidiagonal divide and conquer, f(σ) = 1/ρ + Σⱼ zⱼ²/((dⱼ − σ)(dⱼ + σ)) = 0
 * with 0 ≤ d₀ < d₁ < … < d_{n−1} and ρ > 0: its i-th root σᵢ lies in (dᵢ, dᵢ₊₁) (the last one in
 * (d_{n−1}, √(d_{n−1}² + ρ‖z‖²))). A port of LAPACK's dlasd4 (with dlasd5 for n = 2 and dlaed6's
 * three-pole step): the iteration runs on τ = σ − d_origin from the nearer pole, so besides σ it
 * returns every dⱼ − σ and dⱼ + σ computed from that origin (never as a difference of rounded
 * numbers); the singular vectors and the Gu–Eisenstat recomputation of z need them to be accurate.
 */

const EPS = 2 ** -53;
const MAXIT = 400;
const SQRT_EPS = Math.sqrt(EPS);
/** dlaed6's weights, poles and result (module scratch: no allocation per root). */
const ZZ = new Float64Array(3);
const DD = new Float64Array(3);
const ETA6 = new Float64Array(1);

/**
 * Root `i` (0-based) of the n-term secular equation in σ: writes dⱼ − σ into delta[off + j] and
 * dⱼ + σ into work[off + j]. Returns σ, or NaN when the iteration did not converge.
 */
export function secularSingularRoot(n: number, i: number, d: Float64Array, z: Float64Array, delta: Float64Array, work: Float64Array, off: number, rho: number): number {
  if (secularFailureForced()) return NaN;
  if (n === 1) {
    delta[off] = 1;
    work[off] = 1;
    return Math.sqrt(d[0]! * d[0]! + rho * z[0]! * z[0]!);
  }
  if (n === 2) return secular2(i, d, z, delta, work, off, rho);
  const rhoinv = 1 / rho;
  if (i === n - 1) return lastRoot(n, d, z, delta, work, off, rho, rhoinv);
  return innerRoot(n, i, d, z, delta, work, off, rho, rhoinv);
}

function lastRoot(n: number, d: Float64Array, z: Float64Array, delta: Float64Array, work: Float64Array, off: number, rho: number, rhoinv: number): number {
  const N = n - 1;
  const ii = n - 2;
  const dN = d[N]!;
  let temp = rho / 2;
  let temp1 = temp / (dN + Math.sqrt(dN * dN + temp));
  for (let j = 0; j < n; j++) {
    work[off + j] = d[j]! + dN + temp1;
    delta[off + j] = d[j]! - dN - temp1;
  }
  let psi = 0;
  for (let j = 0; j < n - 2; j++) psi += (z[j]! * z[j]!) / (delta[off + j]! * work[off + j]!);
  let c = rhoinv + psi;
  let w = c + (z[ii]! * z[ii]!) / (delta[off + ii]! * work[off + ii]!) + (z[N]! * z[N]!) / (delta[off + N]! * work[off + N]!);
  let tau: number;
  const dN1 = d[N - 1]!;
  const zN = z[N]!;
  const zN1 = z[N - 1]!;
  if (w <= 0) {
    temp1 = Math.sqrt(dN * dN + rho);
    temp = (zN1 * zN1) / ((dN1 + temp1) * (dN - dN1 + rho / (dN + temp1))) + (zN * zN) / rho;
    if (c <= temp) {
      tau = rho;
    } else {
      const delsq = (dN - dN1) * (dN + dN1);
      const a = -c * delsq + zN1 * zN1 + zN * zN;
      const b = zN * zN * delsq;
      const tau2 = a < 0 ? (2 * b) / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
      tau = tau2 / (dN + Math.sqrt(dN * dN + tau2));
    }
  } else {
    const delsq = (dN - dN1) * (dN + dN1);
    const a = -c * delsq + zN1 * zN1 + zN * zN;
    const b = zN * zN * delsq;
    const tau2 = a < 0 ? (2 * b) / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
    tau = tau2 / (dN + Math.sqrt(dN * dN + tau2));
  }
  let sigma = dN + tau;
  for (let j = 0; j < n; j++) {
    delta[off + j] = d[j]! - dN - tau;
    work[off + j] = d[j]! + dN + tau;
  }
  let dpsi = 0;
  psi = 0;
  let erretm = 0;
  for (let j = 0; j <= ii; j++) {
    const t = z[j]! / (delta[off + j]! * work[off + j]!);
    psi += z[j]! * t;
    dpsi += t * t;
    erretm += psi;
  }
  erretm = Math.abs(erretm);
  let t = z[N]! / (delta[off + N]! * work[off + N]!);
  let phi = z[N]! * t;
  let dphi = t * t;
  erretm = 8 * (-phi - psi) + erretm - phi + rhoinv;
  w = rhoinv + phi + psi;
  if (Math.abs(w) <= EPS * erretm) return sigma;
  let dtnsq1 = work[off + N - 1]! * delta[off + N - 1]!;
  let dtnsq = work[off + N]! * delta[off + N]!;
  c = w - dtnsq1 * dpsi - dtnsq * dphi;
  let a = (dtnsq + dtnsq1) * w - dtnsq * dtnsq1 * (dpsi + dphi);
  let b = dtnsq * dtnsq1 * w;
  if (c < 0) c = Math.abs(c);
  let eta: number;
  if (c === 0) eta = rho - sigma * sigma;
  else if (a >= 0) eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
  else eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
  if (w * eta > 0) eta = -w / (dpsi + dphi);
  if (eta - dtnsq > rho) eta = rho + dtnsq;
  eta = eta / (sigma + Math.sqrt(eta + sigma * sigma));
  tau += eta;
  sigma += eta;
  for (let j = 0; j < n; j++) {
    delta[off + j] = delta[off + j]! - eta;
    work[off + j] = work[off + j]! + eta;
  }
  for (let iter = 2; ; iter++) {
    dpsi = 0;
    psi = 0;
    erretm = 0;
    for (let j = 0; j <= ii; j++) {
      const q = z[j]! / (work[off + j]! * delta[off + j]!);
      psi += z[j]! * q;
      dpsi += q * q;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    t = z[N]! / (work[off + N]! * delta[off + N]!);
    phi = z[N]! * t;
    dphi = t * t;
    erretm = 8 * (-phi - psi) + erretm - phi + rhoinv;
    w = rhoinv + phi + psi;
    // dlasd4 checks iterations 3…MAXIT and gives up after the last update.
    if (iter >= MAXIT) return NaN;
    if (Math.abs(w) <= EPS * erretm) return sigma;
    dtnsq1 = work[off + N - 1]! * delta[off + N - 1]!;
    dtnsq = work[off + N]! * delta[off + N]!;
    c = w - dtnsq1 * dpsi - dtnsq * dphi;
    a = (dtnsq + dtnsq1) * w - dtnsq1 * dtnsq * (dpsi + dphi);
    b = dtnsq1 * dtnsq * w;
    if (a >= 0) eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (w * eta > 0) eta = -w / (dpsi + dphi);
    if (eta - dtnsq <= 0) eta = eta / 2;
    eta = eta / (sigma + Math.sqrt(eta + sigma * sigma));
    tau += eta;
    sigma += eta;
    for (let j = 0; j < n; j++) {
      delta[off + j] = delta[off + j]! - eta;
      work[off + j] = work[off + j]! + eta;
    }
  }
}

function innerRoot(n: number, i: number, d: Float64Array, z: Float64Array, delta: Float64Array, work: Float64Array, off: number, _rho: number, rhoinv: number): number {
  const ip1 = i + 1;
  const di = d[i]!;
  const dip1 = d[ip1]!;
  const zi = z[i]!;
  const zip1 = z[ip1]!;
  const delsq = (dip1 - di) * (dip1 + di);
  const delsq2 = delsq / 2;
  const sq2 = Math.sqrt((di * di + dip1 * dip1) / 2);
  let temp = delsq2 / (di + sq2);
  for (let j = 0; j < n; j++) {
    work[off + j] = d[j]! + di + temp;
    delta[off + j] = d[j]! - di - temp;
  }
  let psi = 0;
  for (let j = 0; j < i; j++) psi += (z[j]! * z[j]!) / (work[off + j]! * delta[off + j]!);
  let phi = 0;
  for (let j = n - 1; j >= i + 2; j--) phi += (z[j]! * z[j]!) / (work[off + j]! * delta[off + j]!);
  let c = rhoinv + psi + phi;
  let w = c + (zi * zi) / (work[off + i]! * delta[off + i]!) + (zip1 * zip1) / (work[off + ip1]! * delta[off + ip1]!);
  let geomavg = false;
  let orgati: boolean;
  let ii: number;
  let sglb: number;
  let sgub: number;
  let tau: number;
  if (w > 0) {
    // The root is closer to dᵢ: origin at dᵢ.
    orgati = true;
    ii = i;
    sglb = 0;
    sgub = delsq2 / (di + sq2);
    const a = c * delsq + zi * zi + zip1 * zip1;
    const b = zi * zi * delsq;
    const tau2 = a > 0 ? (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) : (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    tau = tau2 / (di + Math.sqrt(di * di + tau2));
    temp = SQRT_EPS;
    if (di <= temp * dip1 && Math.abs(zi) <= temp && di > 0) {
      tau = Math.min(10 * di, sgub);
      geomavg = true;
    }
  } else {
    orgati = false;
    ii = ip1;
    sglb = -delsq2 / (d[ii]! + sq2);
    sgub = 0;
    const a = c * delsq - zi * zi - zip1 * zip1;
    const b = zip1 * zip1 * delsq;
    const tau2 = a < 0 ? (2 * b) / (a - Math.sqrt(Math.abs(a * a + 4 * b * c))) : -(a + Math.sqrt(Math.abs(a * a + 4 * b * c))) / (2 * c);
    tau = tau2 / (dip1 + Math.sqrt(Math.abs(dip1 * dip1 + tau2)));
  }
  const dii = d[ii]!;
  let sigma = dii + tau;
  for (let j = 0; j < n; j++) {
    work[off + j] = d[j]! + dii + tau;
    delta[off + j] = d[j]! - dii - tau;
  }
  const iim1 = ii - 1;
  const iip1 = ii + 1;
  let dpsi = 0;
  psi = 0;
  let erretm = 0;
  for (let j = 0; j <= iim1; j++) {
    const t = z[j]! / (work[off + j]! * delta[off + j]!);
    psi += z[j]! * t;
    dpsi += t * t;
    erretm += psi;
  }
  erretm = Math.abs(erretm);
  let dphi = 0;
  phi = 0;
  for (let j = n - 1; j >= iip1; j--) {
    const t = z[j]! / (work[off + j]! * delta[off + j]!);
    phi += z[j]! * t;
    dphi += t * t;
    erretm += phi;
  }
  w = rhoinv + phi + psi;
  let swtch3 = orgati ? w < 0 : w > 0;
  if (ii === 0 || ii === n - 1) swtch3 = false;
  temp = z[ii]! / (work[off + ii]! * delta[off + ii]!);
  let dw = dpsi + dphi + temp * temp;
  temp = z[ii]! * temp;
  w += temp;
  erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(temp);
  if (Math.abs(w) <= EPS * erretm) return sigma;
  if (w <= 0) sglb = Math.max(sglb, tau);
  else sgub = Math.min(sgub, tau);
  let swtch = false;
  let prew = 0;
  for (let niter = 2; ; niter++) {
    let eta: number;
    if (niter > 2) {
      if (niter > MAXIT) return NaN;
      if (Math.abs(w) <= EPS * erretm) return sigma;
      if (w <= 0) sglb = Math.max(sglb, tau);
      else sgub = Math.min(sgub, tau);
    }
    // The first step (niter = 2) never uses the switched form (dlasd4's code before its loop).
    const sw = niter > 2 && swtch;
    if (!swtch3) {
      eta = twoPoleStep(i, ip1, ii, orgati, sw, w, dw, dpsi, dphi, delsq, z, delta, work, off);
    } else {
      const dtiim = work[off + iim1]! * delta[off + iim1]!;
      const dtiip = work[off + iip1]! * delta[off + iip1]!;
      temp = rhoinv + psi + phi;
      let cc: number;
      if (sw) {
        cc = temp - dtiim * dpsi - dtiip * dphi;
        ZZ[0] = dtiim * dtiim * dpsi;
        ZZ[2] = dtiip * dtiip * dphi;
      } else if (orgati) {
        let t1 = z[iim1]! / dtiim;
        t1 *= t1;
        cc = temp - dtiip * (dpsi + dphi) - (d[iim1]! - d[iip1]!) * (d[iim1]! + d[iip1]!) * t1;
        ZZ[0] = z[iim1]! * z[iim1]!;
        ZZ[2] = dpsi < t1 ? dtiip * dtiip * dphi : dtiip * dtiip * (dpsi - t1 + dphi);
      } else {
        let t1 = z[iip1]! / dtiip;
        t1 *= t1;
        cc = temp - dtiim * (dpsi + dphi) - (d[iip1]! - d[iim1]!) * (d[iim1]! + d[iip1]!) * t1;
        ZZ[0] = dphi < t1 ? dtiim * dtiim * dpsi : dtiim * dtiim * (dpsi + (dphi - t1));
        ZZ[2] = z[iip1]! * z[iip1]!;
      }
      ZZ[1] = z[ii]! * z[ii]!;
      DD[0] = dtiim;
      DD[1] = delta[off + ii]! * work[off + ii]!;
      DD[2] = dtiip;
      if (middleWay(niter, orgati, cc, DD, 0, ZZ, w, ETA6)) {
        eta = ETA6[0]!;
      } else {
        swtch3 = false;
        eta = twoPoleStep(i, ip1, ii, orgati, sw, w, dw, dpsi, dphi, delsq, z, delta, work, off);
      }
    }
    if (w * eta >= 0) eta = -w / dw;
    eta = eta / (sigma + Math.sqrt(sigma * sigma + eta));
    temp = tau + eta;
    if (temp > sgub || temp < sglb) {
      eta = w < 0 ? (sgub - tau) / 2 : (sglb - tau) / 2;
      if (geomavg) {
        if (w < 0) {
          if (tau > 0) eta = Math.sqrt(sgub * tau) - tau;
        } else if (sglb > 0) {
          eta = Math.sqrt(sglb * tau) - tau;
        }
      }
    }
    prew = w;
    tau += eta;
    sigma += eta;
    for (let j = 0; j < n; j++) {
      work[off + j] = work[off + j]! + eta;
      delta[off + j] = delta[off + j]! - eta;
    }
    dpsi = 0;
    psi = 0;
    erretm = 0;
    for (let j = 0; j <= iim1; j++) {
      const t = z[j]! / (work[off + j]! * delta[off + j]!);
      psi += z[j]! * t;
      dpsi += t * t;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    dphi = 0;
    phi = 0;
    for (let j = n - 1; j >= iip1; j--) {
      const t = z[j]! / (work[off + j]! * delta[off + j]!);
      phi += z[j]! * t;
      dphi += t * t;
      erretm += phi;
    }
    const tau2 = work[off + ii]! * delta[off + ii]!;
    temp = z[ii]! / tau2;
    dw = dpsi + dphi + temp * temp;
    temp = z[ii]! * temp;
    w = rhoinv + phi + psi + temp;
    erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(temp);
    if (niter === 2) {
      swtch = orgati ? -w > Math.abs(prew) / 10 : w > Math.abs(prew) / 10;
    } else if (w * prew > 0 && Math.abs(w) > Math.abs(prew) / 10) {
      swtch = !swtch;
    }
  }
}

/** dlasd4's two-pole rational step (its "C, A, B" update), plain (`swtch` false) or switched. */
function twoPoleStep(i: number, ip1: number, ii: number, orgati: boolean, swtch: boolean, w: number, dw: number, dpsi: number, dphi: number, delsq: number, z: Float64Array, delta: Float64Array, work: Float64Array, off: number): number {
  const dtipsq = work[off + ip1]! * delta[off + ip1]!;
  const dtisq = work[off + i]! * delta[off + i]!;
  let c: number;
  if (!swtch) {
    if (orgati) {
      const q = z[i]! / dtisq;
      c = w - dtipsq * dw + delsq * q * q;
    } else {
      const q = z[ip1]! / dtipsq;
      c = w - dtisq * dw - delsq * q * q;
    }
  } else {
    const q = z[ii]! / (work[off + ii]! * delta[off + ii]!);
    const dps = orgati ? dpsi + q * q : dpsi;
    const dph = orgati ? dphi : dphi + q * q;
    c = w - dtisq * dps - dtipsq * dph;
    dpsi = dps;
    dphi = dph;
  }
  let a = (dtipsq + dtisq) * w - dtipsq * dtisq * dw;
  const b = dtipsq * dtisq * w;
  if (c === 0) {
    if (a === 0) {
      if (!swtch) a = orgati ? z[i]! * z[i]! + dtipsq * dtipsq * (dpsi + dphi) : z[ip1]! * z[ip1]! + dtisq * dtisq * (dpsi + dphi);
      else a = dtisq * dtisq * dpsi + dtipsq * dtipsq * dphi;
    }
    return b / a;
  }
  if (a <= 0) return (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
  return (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
}

/** dlasd5: the 2×2 case. */
function secular2(i: number, d: Float64Array, z: Float64Array, delta: Float64Array, work: Float64Array, off: number, rho: number): number {
  const d1 = d[0]!;
  const d2 = d[1]!;
  const z1 = z[0]!;
  const z2 = z[1]!;
  const del = d2 - d1;
  const delsq = del * (d2 + d1);
  if (i === 0) {
    const w = 1 + (4 * rho * ((z2 * z2) / (d1 + 3 * d2) - (z1 * z1) / (3 * d1 + d2))) / del;
    if (w > 0) {
      const b = delsq + rho * (z1 * z1 + z2 * z2);
      const c = rho * z1 * z1 * delsq;
      let tau = (2 * c) / (b + Math.sqrt(Math.abs(b * b - 4 * c)));
      tau = tau / (d1 + Math.sqrt(d1 * d1 + tau));
      delta[off] = -tau;
      delta[off + 1] = del - tau;
      work[off] = 2 * d1 + tau;
      work[off + 1] = d1 + tau + d2;
      return d1 + tau;
    }
    const b = -delsq + rho * (z1 * z1 + z2 * z2);
    const c = rho * z2 * z2 * delsq;
    let tau = b > 0 ? (-2 * c) / (b + Math.sqrt(b * b + 4 * c)) : (b - Math.sqrt(b * b + 4 * c)) / 2;
    tau = tau / (d2 + Math.sqrt(Math.abs(d2 * d2 + tau)));
    delta[off] = -(del + tau);
    delta[off + 1] = -tau;
    work[off] = d1 + tau + d2;
    work[off + 1] = 2 * d2 + tau;
    return d2 + tau;
  }
  const b = -delsq + rho * (z1 * z1 + z2 * z2);
  const c = rho * z2 * z2 * delsq;
  let tau = b > 0 ? (b + Math.sqrt(b * b + 4 * c)) / 2 : (2 * c) / (-b + Math.sqrt(b * b + 4 * c));
  tau = tau / (d2 + Math.sqrt(d2 * d2 + tau));
  delta[off] = -(del + tau);
  delta[off + 1] = -tau;
  work[off] = d1 + tau + d2;
  work[off + 1] = 2 * d2 + tau;
  return d2 + tau;
}

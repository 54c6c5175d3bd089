/** A one-off message about this device shown at the top of the working area (e.g. after login). */
class DeviceNotice {
	removedDocs = $state(0);

	clear(): void {
		this.removedDocs = 0;
	}
}

export const deviceNotice = new DeviceNotice();

/**
 * "Accounts": every account, each device, the network address it is connected
 * from right now, and the one-time prekeys the server still holds for it. A
 * stock that falls fast is what a drain looks like. Above the table: whether
 * the server also stores addresses (STORE_ADDRESSES).
 */
import { useObservable } from '../../classroom/observable.js';
import { PREKEY_LOW_WATERMARK } from '@envelope/protocol';
import { Explain } from '../../ui/Explain.js';
import { clockTime, dateAndTime, plural } from '../format.js';
import type { AddressPolicy, OperatorDevice } from '../schemas.js';
import type { AccountsModel } from './accounts-model.js';

export interface AccountsSectionProps {
  readonly model: AccountsModel;
  readonly onSelectPerson: (username: string) => void;
}

/** In words, for one device: nothing when its stock is healthy. */
export function stockNote(device: Pick<OperatorDevice, 'oneTimePreKeysLeft' | 'kemPreKeysLeft'>): string {
  if (device.oneTimePreKeysLeft === 0 || device.kemPreKeysLeft === 0) return 'None left of one kind: new conversations start without it';
  if (device.oneTimePreKeysLeft < PREKEY_LOW_WATERMARK || device.kemPreKeysLeft < PREKEY_LOW_WATERMARK) return 'Low: the device is asked for more';
  return '';
}

/** Whether addresses are kept, in words. */
export function addressPolicyText(policy: AddressPolicy): string {
  return policy.stored
    ? `Stored: this server keeps the address of every sign-in, connection and sealed message for ${plural(policy.retentionDays, 'day')} (STORE_ADDRESSES is on), and hands them over with a warrant answer.`
    : 'Not stored: this server shows each address only while the connection is open and keeps none (STORE_ADDRESSES is off).';
}

export function AccountsSection({ model, onSelectPerson }: AccountsSectionProps) {
  const { accounts, addresses, loading, error } = useObservable(model.state);
  return (
    <section className="panel operator-section operator-accounts-section" aria-labelledby="operator-accounts-title" data-testid="accounts-section">
      <div className="signals-head">
        <h2 id="operator-accounts-title">Accounts</h2>
        <button type="button" className="secondary" onClick={() => void model.refresh()} disabled={loading} data-testid="accounts-refresh">
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <Explain title="What is this?">
        <p>
          Every account the server knows, with each of its devices. To let others start a conversation while a device is offline, each device
          leaves public “one-time keys” at the server, and every new conversation uses one up. They make the first messages safer: if a device’s
          long-term keys were stolen later, those messages would still stay locked.
        </p>
        <p>
          Someone could try to use them all up by asking for them again and again. The server limits how fast anyone can take them, and still
          lets everyone start a conversation when they run out, with the device’s long-term keys only.
        </p>
        <p>
          Every server sees the network (IP) address each connection comes from: it is how answers find their way back. An address often points
          to a home, a school or a phone, and whether the server keeps it is a choice its operator makes.
        </p>
      </Explain>
      {error && <p className="warning">{error}</p>}
      {addresses && (
        <p className="operator-note" data-testid="accounts-address-policy" data-stored={addresses.stored}>
          <strong>Network addresses.</strong> {addressPolicyText(addresses)}
        </p>
      )}
      {!accounts && !error && <p className="operator-muted">Loading…</p>}
      {accounts && accounts.length === 0 && <p className="operator-muted">No accounts yet.</p>}
      {accounts && accounts.length > 0 && (
        <div className="operator-table-scroll">
          <table className="operator-table operator-accounts-table" data-testid="accounts-table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Device</th>
                <th scope="col">Signed up</th>
                <th scope="col">Connected from</th>
                <th scope="col">One-time keys left (X25519)</th>
                <th scope="col">One-time keys left (ML-KEM)</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {accounts.flatMap((account) =>
                account.devices.map((device) => (
                  <tr key={`${account.username}/${device.deviceId}`} data-testid="accounts-row" data-username={account.username} data-device={device.deviceId}>
                    <td>
                      <button type="button" className="link" onClick={() => onSelectPerson(account.username)}>
                        {account.username}
                      </button>
                    </td>
                    <td>{device.deviceId}</td>
                    <td>{dateAndTime(device.registeredAt)}</td>
                    <td data-testid="accounts-address">
                      {device.connectedFrom ? `${device.connectedFrom.address} (since ${clockTime(device.connectedFrom.since)})` : <span className="operator-muted">offline</span>}
                    </td>
                    <td data-testid="accounts-one-time">{device.oneTimePreKeysLeft}</td>
                    <td data-testid="accounts-kem">{device.kemPreKeysLeft}</td>
                    <td>{stockNote(device)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
